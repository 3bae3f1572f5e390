// `consent-capture/testing`: for test suites driving pages that embed <consent-capture>. Import it inside the
// page (it runs there, in any engine, under any driver).
import type { KantaraReceipt, ManifestEntry } from './consent-capture.js';

export interface SubmitConsentOptions {
  /** Field name to the value a person types (a checkbox field takes true or false). */
  fields?: Record<string, string | boolean>;
  /** Purpose id (of the notice) to whether it is granted; purposes not named stay as they are. */
  choices?: Record<string, boolean>;
  /** Which button: the form's own send button (`save`, the default), `accept-all` or `reject-all`. */
  action?: 'save' | 'accept-all' | 'reject-all';
  /** How long to wait for the form and for the submission, in milliseconds (10,000). */
  timeout?: number;
}

export interface SubmitConsentResult {
  /** Whether the verifier module found the receipt valid (signature, canonical form, Kantara shape). */
  valid: boolean;
  /** Why not, when not. */
  reason: string | null;
  /** The receipt, a compact JWS. */
  receipt: string;
  receiptId: string;
  /** The receipt's claims. */
  claims: KantaraReceipt | null;
  /** What happened to each field: kept, transformed (by which rule) or dropped (why). */
  manifest: ManifestEntry[] | null;
  /** The fields that left the browser (the json adapter's body), or null. */
  fields: Record<string, string> | null;
  /** The request the adapter made (null without an endpoint). */
  request: { url: string; contentType: string; body: string } | null;
}

/** Fills and submits the consent form of `target` (an element or a selector), and checks its receipt. */
export function submitConsent(
  target?: string | Element,
  options?: SubmitConsentOptions,
): Promise<SubmitConsentResult>;
