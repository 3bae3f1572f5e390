// <consent-capture> in Vue 3 templates, for vue-tsc and editors. Once in the app:
// `import type {} from 'consent-capture/vue';`, and tell Vue's template compiler that it is a custom element
// (Vite: `vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'consent-capture' } } })`).
// Bind a notice object with `:notice.prop="notice"`; listen with `@consent-capture:submit="…"`.
import type { HTMLAttributes } from 'vue';
import type {
  ChangeDetail, ConsentCaptureAttributes, ConsentCaptureElement, DeliveryDetail, ErrorDetail, SubmitDetail,
} from './consent-capture.js';

export interface ConsentCaptureVueAttributes extends HTMLAttributes, ConsentCaptureAttributes {
  'onConsentCapture:submit'?: (event: CustomEvent<SubmitDetail>) => void;
  'onConsentCapture:change'?: (event: CustomEvent<ChangeDetail>) => void;
  'onConsentCapture:delivery'?: (event: CustomEvent<DeliveryDetail>) => void;
  'onConsentCapture:error'?: (event: CustomEvent<ErrorDetail>) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'consent-capture': new () => ConsentCaptureElement & { $props: ConsentCaptureVueAttributes };
  }
}
