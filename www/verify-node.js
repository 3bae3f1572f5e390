// The package's verification entry for Node (>= 20, which has WebCrypto with Ed25519 and ECDSA P-256):
// `import { verifyReceipt, verifyAcknowledgement } from 'consent-capture/verify'`. No DOM, no custom element.
import { readFileSync } from 'node:fs';
import { initSync, inspect_acknowledgement, inspect_receipt } from './pkg/consent_capture_verify.js';
import { verifyAcknowledgementWith, verifyWith } from './verify-receipt.js';

initSync({ module: readFileSync(new URL('consent_capture_verify_bg.wasm', import.meta.url)) });

/** Verifies a consent receipt (compact JWS): `{ valid: true, receipt, key }`, or `{ valid: false, reason }`. */
export function verifyReceipt(jws) {
  return verifyWith(inspect_receipt, jws);
}

/**
 * Verifies the controller's acknowledgement of `receipt` under the controller key whose thumbprint is
 * `controller` (with `bodySha256`, naming the body sent with that hash): `{ valid: true, position, receivedAt,
 * headSize, headTime }`, or `{ valid: false, reason }`.
 */
export function verifyAcknowledgement(acknowledgement, receipt, controller, bodySha256) {
  return verifyAcknowledgementWith(inspect_acknowledgement, acknowledgement, receipt, controller, bodySha256);
}
