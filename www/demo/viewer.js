// The receipt viewer: verifies a pasted or dropped receipt with WebCrypto and reads it out in plain words.
// Everything is written with textContent.
import { thumbprint, verifyAcknowledgement, verifyReceipt } from '../dist/consent-capture-verify.js';

const $ = (id) => document.getElementById(id);

function line(parent, tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  parent.append(node);
  return node;
}

function date(seconds) {
  const when = new Date(seconds * 1000);
  return Number.isNaN(when.getTime()) ? String(seconds) : when.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

// Says only what the verifier checked: the signature by the key in the receipt, the person bound to that key
// (or a salted e-mail hash), a time in seconds, decisions tied to purposes by id. Who the controller is and what
// the notice said are the signing device's words unless checked against the notice and the controller's key.
function describe(receipt) {
  const summary = $('summary');
  summary.replaceChildren();
  const controller = receipt.piiControllers?.[0] ?? {};
  const extension = receipt.consentCapture ?? {};
  const purposes = new Map((receipt.services ?? []).flatMap((s) => s.purposes).map((p) => [p.purposeId, p]));
  line(summary, 'p', `Controller, as the receipt names it: ${controller.piiController ?? '?'} (${controller.email ?? 'no e-mail'}).`);
  line(summary, 'p', `Given on ${date(receipt.consentTimestamp)} by the signing device's clock, receipt ${receipt.consentReceiptID}, in language ${receipt.language ?? '?'}.`);
  const person = String(receipt.piiPrincipalId).startsWith('sha256:')
    ? 'a salted hash of their e-mail address, as the device wrote it'
    : 'the key that signed this receipt';
  line(summary, 'p', `The person is named by ${person}.`);
  const decisions = extension.decisions ?? [];
  const list = document.createElement('ul');
  for (const decision of decisions) {
    const purpose = purposes.get(decision.purpose) ?? {};
    const verb = { granted: 'Agreed to', denied: 'Refused', withdrawn: 'Withdrew', 'not-asked': 'Without consent, on another legal basis' }[decision.decision] ?? decision.decision;
    // Retention is said only where data is kept: under consent given, or on another legal basis.
    const kept = ['granted', 'not-asked'].includes(decision.decision) ? ` (kept: ${purpose.termination ?? '?'})` : '';
    line(list, 'li', `${verb}: ${purpose.purpose ?? decision.purpose}${kept}.`);
  }
  if (decisions.length) summary.append(list);
  const manifest = extension.manifest ?? [];
  const sent = manifest.filter((m) => m.outcome !== 'dropped').map((m) => (m.rule ? `${m.field} (as ${m.rule})` : m.field));
  const dropped = manifest.filter((m) => m.outcome === 'dropped').map((m) => `${m.field} (${m.reason})`);
  line(summary, 'p', `Sent: ${sent.length ? sent.join(', ') : 'nothing'}. Kept back in the browser: ${dropped.length ? dropped.join(', ') : 'nothing'}.`);
  if (extension.endpoint) line(summary, 'p', `Sent to ${extension.endpoint}, as the signing device named it (a receiver at another address refuses the receipt).`);
  if (extension.destinationSha256) line(summary, 'p', `In the shape the destination description with SHA-256 ${extension.destinationSha256} gives (consent-capture verify names it when the component ships it).`);
  if (extension.previousReceipt) line(summary, 'p', `This receipt changes an earlier one (${extension.previousReceipt}).`);
  if (extension.gpc) line(summary, 'p', 'The browser sent Global Privacy Control.');
  line(summary, 'p', extension.noticeSignature
    ? `Notice revision ${extension.noticeRevision ?? '?'}. The receipt carries the controller's signature of the notice; this page does not check it (consent-capture verify --controller-key does).`
    : `Notice revision ${extension.noticeRevision ?? '?'}, not signed by the controller.`);
}

// Input that is plainly not a receipt gets plain words, not a parser's message.
function plainProblem(text) {
  const trimmed = text.trim();
  if (!trimmed) return 'There is nothing to check yet: paste a receipt, or choose or drop its file.';
  if (/^(["'“”‘’]).*\1$|^[“‘].*[”’]$/s.test(trimmed)) return 'This receipt is inside quotation marks: paste it without them.';
  return null;
}

// The `typ` of a compact JWS, or null for anything else.
function typOf(text) {
  try {
    return headerOf(text.trim()).typ ?? null;
  } catch {
    return null;
  }
}

const ACKNOWLEDGEMENT = 'consent-acknowledgement+jws';

// A receipt file or an acknowledgement file goes to its own field, whichever way it came; then the receipt is
// checked (with its acknowledgement when there is one).
async function take(file) {
  const text = await file.text();
  $(typOf(text) === ACKNOWLEDGEMENT ? 'acknowledgement' : 'jws').value = text;
  check($('jws').value);
}

async function check(text) {
  if (typOf(text) === ACKNOWLEDGEMENT) {
    // An acknowledgement pasted where the receipt goes: moved to its field, and the person told why.
    $('acknowledgement').value = text.trim();
    $('jws').value = '';
    $('verdict').textContent = 'That is the controller’s acknowledgement, not a receipt: it is now in the acknowledgement field. Paste or drop the receipt it acknowledges above.';
    $('verdict').dataset.valid = 'false';
    $('summary').replaceChildren();
    return;
  }
  const problem = plainProblem(text);
  if (problem) {
    $('verdict').textContent = problem;
    $('verdict').dataset.valid = 'false';
    $('summary').replaceChildren();
    return;
  }
  const result = await verifyReceipt(text);
  $('verdict').textContent = result.valid
    ? 'Valid: signed by the key in it and unchanged since. What it says about the controller and the notice is what the signing device wrote.'
    : `Not valid: ${result.reason}`;
  $('verdict').dataset.valid = String(result.valid);
  if (result.valid) describe(result.receipt); else $('summary').replaceChildren();
  if (result.valid && $('acknowledgement').value.trim()) await checkAcknowledgement($('acknowledgement').value, text, result.receipt);
}

const headerOf = (jws) => JSON.parse(new TextDecoder().decode(Uint8Array.from(
  atob(jws.split('.')[0].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));

// The acknowledgement is checked under the key that signed the notice the receipt names (the controller's key,
// if that notice signature is genuine: consent-capture verify --controller-key checks it against a key you
// trust). Without a notice signature nothing ties the acknowledgement's key to the controller.
async function checkAcknowledgement(acknowledgement, receiptText, receipt) {
  const noticeSignature = receipt.consentCapture?.noticeSignature;
  let expected;
  try {
    expected = await thumbprint(headerOf(noticeSignature ?? acknowledgement.trim()).jwk);
  } catch {
    expected = null;
  }
  const result = expected
    ? await verifyAcknowledgement(acknowledgement, receiptText, expected)
    : { valid: false, reason: 'header.jwk: not a public Ed25519 or P-256 key' };
  const verdict = line($('summary'), 'p', '');
  verdict.id = 'acknowledgement-verdict';
  verdict.dataset.valid = String(result.valid);
  if (!result.valid) {
    verdict.textContent = `The acknowledgement is not valid for this receipt: ${result.reason}`;
    return;
  }
  const whose = noticeSignature ? 'the key that signed the notice this receipt names' : 'a key that nothing here ties to the controller';
  verdict.textContent = `Acknowledged: signed by ${whose}, received on ${date(result.receivedAt)} by the controller's clock, `
    + `record ${result.position} of its log, included in the log head of size ${result.headSize} signed on ${date(result.headTime)}.`;
}

$('check').addEventListener('submit', (event) => {
  event.preventDefault();
  check($('jws').value);
});
for (const input of ['file', 'acknowledgement-file']) {
  $(input).addEventListener('change', () => {
    const file = $(input).files[0];
    if (file) take(file);
  });
}
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', async (event) => {
  event.preventDefault();
  for (const file of event.dataTransfer.files) await take(file);
});
