// Receipt and acknowledgement verification shared by the browser verifier and the Node entry: the wasm core
// checks everything but the signature (strict JWS, canonical payload, Kantara shape; for an acknowledgement,
// the receipt it names and its inclusion proof); WebCrypto checks the signature.
import { verify } from './keys.js';

/**
 * `{ valid: true, receipt, key }`, or `{ valid: false, reason }` saying what is wrong and where. `ed25519`
 * checks Ed25519 signatures where WebCrypto cannot (see keys.js `verify`).
 */
export async function verifyWith(inspect, jws, ed25519) {
  let parts;
  try {
    parts = JSON.parse(inspect(String(jws).trim()));
  } catch (error) {
    return { valid: false, reason: String(error?.message ?? error) };
  }
  const valid = await verify(parts, ed25519).catch(() => false);
  return valid
    ? { valid: true, receipt: parts.receipt, key: parts.jwk }
    : { valid: false, reason: 'signature: does not verify', receipt: parts.receipt };
}

/**
 * The controller's acknowledgement of `receipt` under the controller key whose thumbprint is `controller` (with
 * `bodySha256`, naming the body sent with that hash): `{ valid: true, position, receivedAt, headSize, headTime }`,
 * or `{ valid: false, reason }`.
 */
export async function verifyAcknowledgementWith(inspect, acknowledgement, receipt, controller, bodySha256, ed25519) {
  let parts;
  try {
    parts = JSON.parse(inspect(String(acknowledgement).trim(), String(receipt).trim(), String(controller), bodySha256 == null ? undefined : String(bodySha256)));
  } catch (error) {
    return { valid: false, reason: String(error?.message ?? error) };
  }
  if (!(await verify(parts, ed25519).catch(() => false))) return { valid: false, reason: 'signature: does not verify' };
  const { position, receivedAt, headSize, headTime } = parts;
  return { valid: true, position, receivedAt, headSize, headTime };
}
