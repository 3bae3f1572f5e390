// The browser receipt verifier, a module of its own (`consent-capture-verify.js`): a second wasm module checks
// everything but the signature (strict JWS, canonical payload, Kantara shape), then WebCrypto checks the
// signature. Pages that capture consent never load it; the receipt viewer and CRM-side pages do.
import init, { inspect_receipt, verify_ed25519 } from './pkg/consent_capture_verify.js';
import { verifyWith } from './verify-receipt.js';

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
