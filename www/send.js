// The destination module, a module of its own (`consent-capture-send.js`): a third wasm module reads the site's
// CRM description against the notice and shapes what each signed submission sends, with the interpreter the
// receiver's relay runs. Pages with somewhere to send load it beside the element; the form never waits for it.
import init, { read_destination, shape_request } from './pkg/consent_capture_send.js';

// The bundle step writes the wasm's SRI hash here (see consent-capture.js).
const wasmUrl = new URL('./consent_capture_send_bg.wasm', import.meta.url);
let ready;
const load = () => (ready ??= init({ module_or_path: fetch(wasmUrl, { integrity: SEND_WASM_INTEGRITY }) }));

/**
 * The destination `{ name, description }` (a shipped one by name, carried in this module's wasm so that nothing
 * is fetched that whoever serves the site could change; or, with `description`, a site's own JSON text) read
 * against the notice's text, sending to `endpoint` ('' for the description's own URL): `{ name, url, sha256 }`.
 * Throws every problem with its place.
 */
export async function readDestination({ name, description }, notice, endpoint) {
  await load();
  return JSON.parse(read_destination(name ?? '', description ?? '', notice, endpoint));
}

/**
 * The request for one signed submission (`{ withdrawal, decisions, fields, receipt, receiptId, principal,
 * language, consentTime, pageUri, pageName }`): `{ url, method, contentType, headers, body, opaque }`, or null
 * when the destination sends nothing for it. Synchronous, once readDestination has loaded the wasm: the element
 * writes each request to its outbox in the order the person acted, with nothing awaited in between.
 */
export function shapeRequest({ name, description }, notice, endpoint, submission) {
  return JSON.parse(shape_request(name ?? '', description ?? '', notice, endpoint, JSON.stringify(submission)));
}
