// <consent-capture> in React 19 JSX. Once in the app: `import type {} from 'consent-capture/react';`
// React 19 sets `notice` as a property (a notice object stays an object) when the element is defined before it
// renders: import 'consent-capture' at the top of the module, which is safe on a server too. Listen to the
// element's events with `on` + the event's name: `onconsent-capture:submit={(event) => …}`.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  ChangeDetail, ConsentCaptureAttributes, ConsentCaptureElement, DeliveryDetail, ErrorDetail, SubmitDetail,
} from './consent-capture.js';

export interface ConsentCaptureProps
  extends DetailedHTMLProps<HTMLAttributes<ConsentCaptureElement>, ConsentCaptureElement>, ConsentCaptureAttributes {
  'onconsent-capture:submit'?: (event: CustomEvent<SubmitDetail>) => void;
  'onconsent-capture:change'?: (event: CustomEvent<ChangeDetail>) => void;
  'onconsent-capture:delivery'?: (event: CustomEvent<DeliveryDetail>) => void;
  'onconsent-capture:error'?: (event: CustomEvent<ErrorDetail>) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consent-capture': ConsentCaptureProps;
    }
  }
}
