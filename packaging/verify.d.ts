// `consent-capture/verify`: receipt verification without the element, in Node >= 20 and in browsers (WebCrypto).
import type { AcknowledgementResult, KantaraReceipt, VerifyResult } from './consent-capture.js';

export type { AcknowledgementResult, KantaraReceipt, VerifyResult };

/** Verifies a receipt: its signature, canonical form and Kantara shape. */
export function verifyReceipt(jws: string): Promise<VerifyResult>;

/**
 * Verifies the controller's acknowledgement of a receipt (as a consent-capture receiver answers it) under the
 * controller key whose JWK thumbprint (RFC 7638) is `controller`: its signature, that it names this very
 * receipt, and the inclusion proof of its record in the log head it signs. With `bodySha256` (the base64url
 * SHA-256 of the body sent: the submit event's `request.body`), also that it names that very body.
 */
export function verifyAcknowledgement(acknowledgement: string, receipt: string, controller: string, bodySha256?: string): Promise<AcknowledgementResult>;
