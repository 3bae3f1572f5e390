// The browser receipt verifier, a module of its own (`consent-capture-verify.js`): a second wasm module checks
// everything but the signature (strict JWS, canonical payload, Kantara shape), then WebCrypto checks the
// signature. Pages that capture consent load it only to show the controller's acknowledgement (or where
// WebCrypto has no Ed25519); the receipt viewer and CRM-side pages load it to verify.
import init, { inspect_acknowledgement, inspect_receipt, jwk_thumbprint, verify_ed25519 } from './pkg/consent_capture_verify.js';
import { verifyAcknowledgementWith, verifyWith } from './verify-receipt.js';

// The bundle step writes the wasm's SRI hash here (see consent-capture.js).
const wasmUrl = new URL('consent_capture_verify_bg.wasm', import.meta.url);
let ready;
const load = () => (ready ??= init({ module_or_path: fetch(wasmUrl, { integrity: VERIFY_WASM_INTEGRITY }) }));

/**
 * Verifies a consent receipt (compact JWS) with WebCrypto: `{ valid: true, receipt, key }`, or
 * `{ valid: false, reason }` saying what is wrong and where.
 */
export async function verifyReceipt(jws) {
  await load();
  return verifyWith(inspect_receipt, jws, verifyEd25519);
}

/**
 * Checks an Ed25519 signature (`{ jwk, signingInput, signature }`) in wasm, for engines whose WebCrypto has
 * no Ed25519 (Safari before 17, Chromium before 137). The element loads this module only there.
 */
export async function verifyEd25519({ jwk, signingInput, signature }) {
  await load();
  return verify_ed25519(jwk.x, signingInput, signature);
}

/**
 * Verifies the controller's acknowledgement of `receipt` (both compact JWSs) under the controller key whose
 * thumbprint is `controller`: `{ valid: true, position, receivedAt, headSize, headTime }` once its key, its
 * signature, the receipt it names and the inclusion proof of its record in the log head it signs all check
 * out, or `{ valid: false, reason }`.
 */
export async function verifyAcknowledgement(acknowledgement, receipt, controller) {
  await load();
  return verifyAcknowledgementWith(inspect_acknowledgement, acknowledgement, receipt, controller, verifyEd25519);
}

/** The RFC 7638 thumbprint of a public Ed25519 or P-256 JWK (an object), as `controller-key` pins one. */
export async function thumbprint(jwk) {
  await load();
  return jwk_thumbprint(JSON.stringify(jwk));
}

/**
 * Shows the controller's acknowledgement in the element's receipt panel (`delivery` and `downloads` are its
 * status line and download paragraph; `receiptView` the core's view of the receipt): a download beside the
 * receipt's, and "received by <controller>: <date>" once it verifies under the controller key the page pins
 * (`controller`, a thumbprint). Without a pin nothing says whose key signed it; one that fails is not shown.
 */
export async function showAcknowledgement({ delivery, downloads }, receiptView, receipt, acknowledgement, controller) {
  if (controller) {
    const { valid, receivedAt } = await verifyAcknowledgement(acknowledgement, receipt, controller);
    if (!valid) return;
    const at = new Date(receivedAt * 1000).toISOString().slice(0, 16).replace('T', ' ');
    // The date kept left to right, as the core isolates its own dates.
    delivery.textContent = `${receiptView.received}: \u2066${at} UTC\u2069`;
  }
  const link = document.createElement('a');
  Object.assign(link, {
    href: `data:application/jose,${acknowledgement}`,
    download: receiptView.download.fileName.replace('receipt', 'acknowledgement'),
    textContent: receiptView.downloadAcknowledgement,
  });
  link.setAttribute('part', 'download');
  downloads.append(' ', link);
}
