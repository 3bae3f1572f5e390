// Types for consent-capture: the <consent-capture> element, its events, the notice it renders, and receipts.

/** A text in every language of the notice, keyed by BCP 47 tag: `{ "en": "…", "de": "…" }`. */
export type Localised = Record<string, string>;

export type LegalBasis = 'consent' | 'contract' | 'legal-obligation' | 'legitimate-interest' | 'vital-interest' | 'public-task';

export type FieldType = 'text' | 'email' | 'tel' | 'date' | 'postcode' | 'country' | 'select' | 'textarea' | 'checkbox' | 'hidden';

export type ConsentModeType =
  | 'ad_storage' | 'ad_user_data' | 'ad_personalization' | 'analytics_storage'
  | 'functionality_storage' | 'personalization_storage' | 'security_storage';

export type Transform =
  | 'keep' | 'drop' | 'sha256:email' | 'sha256:phone' | 'sha256:name' | 'sha256:plain'
  | `truncate:${number}` | 'year' | 'age-band' | `postcode-prefix:${number}` | 'postcode-outward' | 'ip-truncate'
  | `mask:${number}`;

export type InterfaceText =
  | 'yourDetails' | 'howWeUseYourData' | 'legalBasis' | 'keptUntil' | 'sharedWith' | 'privacyPolicy' | 'acceptAll'
  | 'rejectAll' | 'sendWithMyChoices' | 'required' | 'choose' | 'errorRequired' | 'errorEmail' | 'errorTel'
  | 'errorDate' | 'errorPostcode' | 'errorOption' | 'errorSummary' | 'gpcNote' | 'reconsentNote' | 'basisConsent'
  | 'basisContract' | 'basisLegalObligation' | 'basisVitalInterest' | 'basisPublicTask' | 'basisLegitimateInterest'
  | 'yourReceipt' | 'agreed' | 'refused' | 'otherBasis' | 'responsibleForYourData' | 'receipt' | 'issued'
  | 'howToWithdraw' | 'withdraw' | 'withdrawnOn' | 'sendAgain' | 'alreadySent' | 'receivedBy' | 'downloadAcknowledgement' | 'download' | 'sending' | 'sent' | 'queued' | 'sendFailed';

export interface Controller {
  name: string;
  contact: string;
  address: {
    streetAddress?: string; postOfficeBoxNumber?: string; addressLocality?: string; addressRegion?: string;
    postalCode?: string; addressCountry?: string;
  };
  email: string;
  phone: string;
  url?: string;
}

export interface Purpose {
  id: string;
  legalBasis: LegalBasis;
  name: Localised;
  description: Localised;
  termination: Localised;
  purposeCategory?: string[];
  piiCategory?: string[];
  thirdParties?: string[];
  sensitive?: boolean;
  /** Sale, sharing or targeted advertising: Global Privacy Control holds it off. */
  gpc?: boolean;
  /** Consent purposes only: Google Consent Mode v2 types that follow the decision. */
  consentMode?: ConsentModeType[];
}

export interface Field {
  name: string;
  type: FieldType;
  label: Localised;
  /** Ids of the purposes that justify collecting it (at least one). */
  purposes: [string, ...string[]];
  required?: boolean;
  /** The most characters a person may type (the input takes no more; a receiver refuses more). */
  maxLength?: number;
  transform?: Transform;
  /** Select fields only. */
  options?: { value: string; label: Localised }[];
}

/** The notice a site writes (see notice.schema.json); the element validates it and reports every problem. */
export interface Notice {
  revision: string;
  jurisdiction: string;
  policyUrl: string;
  languages: [string, ...string[]];
  texts?: Record<string, Partial<Record<InterfaceText, string>>>;
  principal?: { emailField: string; salt: string };
  /** ISO 3166-1 alpha-2; phone numbers typed without a country code get this one (default: jurisdiction). */
  phoneCountry?: string;
  controller: Controller;
  purposes: Purpose[];
  fields: Field[];
  /**
   * Each destination's settings under its name (`hubspot`, `brevo`, your own): what its description declares,
   * checked when it is read against this notice (destination.schema.json, docs/destinations.md).
   */
  crm?: Record<string, Record<string, string | number | Record<string, string | number>>>;
}

/**
 * The notice as TypeScript types a JSON file of it (`import notice from './notice.json'`): every string a string
 * and every list an array, as JSON imports are typed. The element checks the rest when it renders.
 */
export type NoticeJson = Widened<Notice>;
type Widened<T> = T extends string ? string
  : T extends readonly (infer Item)[] ? Widened<Item>[]
  : T extends object ? { [Key in keyof T]: Widened<T[Key]> }
  : T;

/**
 * A purpose's decision in a receipt: `withdrawn` in the receipt that takes back an earlier grant (later ones say
 * `denied`), `not-asked` for a purpose on another legal basis.
 */
export type Decision = 'granted' | 'denied' | 'withdrawn' | 'not-asked';

export interface ManifestEntry {
  field: string;
  outcome: 'kept' | 'transformed' | 'dropped';
  /** For `transformed`: the notice's rule, e.g. `sha256:email`. */
  rule?: Transform;
  reason?: 'no-purpose-granted' | 'undeclared' | 'empty' | 'transform-drop' | 'unreadable';
}

/** A Kantara Consent Receipt v1.1 with consent-capture's additions under `consentCapture`. */
export interface KantaraReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language?: string;
  piiPrincipalId: string;
  piiControllers: {
    piiController: string; onBehalf?: boolean; contact: string; address: Record<string, string>; email: string;
    phone: string; piiControllerUrl?: string;
  }[];
  policyUrl: string;
  services: {
    service: string;
    purposes: {
      purpose?: string; purposeCategory: string[]; consentType: string; piiCategory: string[]; termination: string;
      thirdPartyDisclosure: boolean; thirdPartyName?: string;
    }[];
  }[];
  sensitive: boolean;
  spiCat: string[];
  consentCapture?: {
    noticeRevision: string;
    noticeSha256: string;
    noticeSignature?: string;
    language: string;
    gpc: boolean;
    decisions: { purpose: string; legalBasis: LegalBasis; decision: Decision }[];
    manifest: ManifestEntry[];
    previousReceipt?: string;
  };
}

/** `detail` of `consent-capture:submit`: fired after a submission (or a withdrawal) once its receipt is signed. */
export interface SubmitDetail {
  /** The signed receipt: a compact JWS that any JOSE library verifies. */
  receipt: string;
  receiptId: string;
  /** The fields that may leave the browser, by name. */
  payload: Record<string, string>;
  manifest: ManifestEntry[];
  consentMode: Partial<Record<ConsentModeType, 'granted' | 'denied'>>;
  /** Every purpose's decision, as the receipt signs it. */
  decisions: { purpose: string; legalBasis: LegalBasis; decision: Decision }[];
  withdrawal?: true;
  /** For a withdrawal: the purposes it takes back. */
  withdrawn?: string[];
  /** For a withdrawal: the id of the receipt it follows. */
  previousReceiptId?: string;
  /**
   * With somewhere to send: the request its destination shaped, which the element sends (see
   * `consent-capture:delivery`); null when it sends nothing for this submission.
   */
  request: ShapedRequest | null;
}

/** `detail` of `consent-capture:delivery`: how sending a submission to the endpoint goes. */
export interface DeliveryDetail {
  receiptId: string;
  /**
   * `queued`: kept on this device after a network failure or a 5xx (or behind an earlier queued submission to the
   * same endpoint), and retried; `failed`: given up on, and erased from the device (see `reason`).
   */
  state: 'sending' | 'sent' | 'queued' | 'failed';
  status: number | null;
  /** Why a submission failed: refused with a 4xx, an endpoint that never allows this origin, or older than 30 days. */
  reason: 'http' | 'no-cors' | 'expired' | null;
  /**
   * With `sent`, when the endpoint is a consent-capture receiver: the controller's acknowledgement of the receipt
   * (a compact JWS), also kept on the device beside the receipt. Check it with `verifyAcknowledgement`.
   */
  acknowledgement: string | null;
}

/** `detail` of `consent-capture:change`: one choice changed. */
export interface ChangeDetail {
  purpose: string;
  granted: boolean;
}

/** `detail` of `consent-capture:error`: the notice could not be shown, or a receipt could not be signed. */
export interface ErrorDetail {
  message: string;
}

export type VerifyResult =
  | { valid: true; receipt: KantaraReceipt; key: JsonWebKey }
  | { valid: false; reason: string; receipt?: KantaraReceipt };

/** What `verifyAcknowledgement` finds: the record's place in the controller's log and when it was received. */
export type AcknowledgementResult =
  | { valid: true; position: number; receivedAt: number; headSize: number; headTime: number }
  | { valid: false; reason: string };

export interface ConsentCaptureEventMap extends HTMLElementEventMap {
  'consent-capture:submit': CustomEvent<SubmitDetail>;
  'consent-capture:change': CustomEvent<ChangeDetail>;
  'consent-capture:delivery': CustomEvent<DeliveryDetail>;
  'consent-capture:error': CustomEvent<ErrorDetail>;
}

/** A request a destination shaped. */
export interface ShapedRequest {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  contentType: string;
  headers: Record<string, string>;
  body: string;
  /** Posted `no-cors`: its answer cannot be read (Web-to-Lead and other plain form posts). */
  opaque: boolean;
}

/** The destinations the component ships (`consent-capture/destinations/NAME.json`). */
export type ShippedDestination = 'json' | 'hubspot' | 'salesforce' | 'klaviyo' | 'mailchimp-form' | 'mailchimp' | 'brevo'
  | 'pipedrive' | 'zoho' | 'activecampaign' | 'pardot' | 'segment' | 'intercom' | 'freshsales' | 'marketo';

/** A destination description (destination.schema.json): one CRM's request, as data. */
export interface DestinationDescription {
  name: string;
  title?: string;
  runs: 'browser' | 'browser-opaque' | 'receiver';
  deduplication?: string;
  settings?: Record<string, 'text' | 'fields' | 'only-fields' | 'purpose-texts' | 'purpose-numbers' | { default: string }>;
  submit: DestinationCall;
  withdrawal: 'as-submit' | { refuse: string } | DestinationCall;
  erasure: { refuse: string };
}

/** One request of a destination description; its body is a template (see docs/destinations.md). */
export interface DestinationCall {
  method?: 'POST' | 'PUT' | 'PATCH';
  url: string;
  encoding: 'json' | 'form';
  headers?: Record<string, unknown>;
  maxAgeDays?: number;
  body: unknown;
}

/** What `preview()` gives: what a submission would send now, nothing signed or sent. */
export interface Preview {
  payload: Record<string, string>;
  manifest: ManifestEntry[];
  /** Every purpose's decision, as a receipt would sign it (what a destination's request is shaped from). */
  decisions: { purpose: string; legalBasis: LegalBasis; decision: Decision }[];
}

/** The element's attributes (and its `notice` property) as framework templates set them (see react.d.ts, vue.d.ts). */
export interface ConsentCaptureAttributes {
  /** The notice: its URL, or a notice object. */
  notice?: string | Notice | NoticeJson;
  /** Enhance mode: the id of the site's `<form>`. */
  for?: string;
  'notice-signature'?: string;
  'controller-key'?: string;
  'notice-min-revision'?: string;
  endpoint?: string;
  /** A shipped destination, loaded from `destinations/` beside the module (see docs/destinations.md). */
  adapter?: ShippedDestination;
  /** What a visitor reads when the form cannot be shown (default "This form cannot be shown."). */
  unavailable?: string;
}

/** `<consent-capture notice lang for notice-signature controller-key notice-min-revision endpoint adapter unavailable>` */
export interface ConsentCaptureElement extends HTMLElement {
  /** The notice: a URL (the `notice` attribute), or a notice object rendered without a fetch. */
  notice: string | Notice | NoticeJson | null;
  /** A destination description of the site's own, instead of the `adapter` attribute's shipped one. */
  destination: DestinationDescription | null;
  /** What a submission would send now (null before the form is shown). */
  preview(): Preview | null;
  /**
   * True once the form is live. Before then, a press in a form drawn ahead of time (`consent-capture render`),
   * and the submission of a site form it enhances, are held and carried out once it is.
   */
  readonly ready: boolean;
  addEventListener<K extends keyof ConsentCaptureEventMap>(
    type: K, listener: (this: ConsentCaptureElement, event: ConsentCaptureEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ConsentCaptureEventMap>(
    type: K, listener: (this: ConsentCaptureElement, event: ConsentCaptureEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-capture': ConsentCaptureElement;
  }
  // The events bubble and are composed, so listeners on the document hear them too.
  interface DocumentEventMap {
    'consent-capture:submit': CustomEvent<SubmitDetail>;
    'consent-capture:change': CustomEvent<ChangeDetail>;
    'consent-capture:delivery': CustomEvent<DeliveryDetail>;
    'consent-capture:error': CustomEvent<ErrorDetail>;
  }
}
