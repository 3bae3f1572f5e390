// The receipt viewer: verifies a pasted or dropped receipt with WebCrypto and reads it out in plain words.
// Everything is written with textContent.
import { verifyReceipt } from '../dist/consent-capture-verify.js';

const $ = (id) => document.getElementById(id);

function line(parent, tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  parent.append(node);
  return node;
}

function date(seconds) {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

function describe(receipt) {
  const summary = $('summary');
  summary.replaceChildren();
  const controller = receipt.piiControllers?.[0] ?? {};
  const extension = receipt.consentCapture ?? {};
  const purposes = receipt.services?.flatMap((s) => s.purposes) ?? [];
  line(summary, 'p', `Controller: ${controller.piiController ?? '?'} (${controller.email ?? 'no e-mail'}).`);
  line(summary, 'p', `Given on ${date(receipt.consentTimestamp)}, receipt ${receipt.consentReceiptID}, in language ${receipt.language ?? '?'}.`);
  const decisions = extension.decisions ?? [];
  const list = document.createElement('ul');
  decisions.forEach((decision, index) => {
    const purpose = purposes[index] ?? {};
    const verb = { granted: 'Agreed to', denied: 'Refused', 'not-asked': 'Without consent, on another legal basis' }[decision.decision] ?? decision.decision;
    line(list, 'li', `${verb}: ${purpose.purpose ?? decision.purpose} (kept: ${purpose.termination ?? '?'}).`);
  });
  if (decisions.length) summary.append(list);
  const manifest = extension.manifest ?? [];
  const sent = manifest.filter((m) => m.outcome !== 'dropped').map((m) => (m.rule ? `${m.field} (as ${m.rule})` : m.field));
  const dropped = manifest.filter((m) => m.outcome === 'dropped').map((m) => `${m.field} (${m.reason})`);
  line(summary, 'p', `Sent: ${sent.length ? sent.join(', ') : 'nothing'}. Kept back in the browser: ${dropped.length ? dropped.join(', ') : 'nothing'}.`);
  if (extension.previousReceipt) line(summary, 'p', `This receipt changes an earlier one (${extension.previousReceipt}).`);
  if (extension.gpc) line(summary, 'p', 'The browser sent Global Privacy Control.');
  line(summary, 'p', `Notice revision ${extension.noticeRevision ?? '?'}${extension.noticeSignature ? ', signed by the controller' : ''}.`);
}

async function check(text) {
  const result = await verifyReceipt(text);
  $('verdict').textContent = result.valid
    ? 'Valid: this receipt was signed by the key in it and has not been changed since.'
    : `Not valid: ${result.reason}`;
  $('verdict').dataset.valid = String(result.valid);
  if (result.valid) describe(result.receipt); else $('summary').replaceChildren();
}

$('check').addEventListener('submit', (event) => {
  event.preventDefault();
  check($('jws').value);
});
$('file').addEventListener('change', async () => {
  const file = $('file').files[0];
  if (file) { $('jws').value = await file.text(); check($('jws').value); }
});
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', async (event) => {
  event.preventDefault();
  const file = event.dataTransfer.files[0];
  if (file) { $('jws').value = await file.text(); check($('jws').value); }
});
