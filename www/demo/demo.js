// Shows what each submission produced, as text, and switches the language of both forms.
const show = (id, value) => { document.getElementById(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2); };
// The JSON a compact JWS signs (shown, not checked: the receipt viewer and the CLI check).
const payloadOf = (jws) => JSON.parse(new TextDecoder().decode(Uint8Array.from(
  atob(jws.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));

document.addEventListener('consent-capture:submit', (event) => {
  const { payload, manifest, receipt, consentMode, withdrawal } = event.detail;
  show('payload', payload);
  show('manifest', manifest);
  show('consent-mode', consentMode);
  show('receipt', receipt);
  show('receipt-json', payloadOf(receipt));
  const dropped = manifest.filter((entry) => entry.outcome === 'dropped').map((entry) => entry.field);
  const from = event.target.id === 'enhanced' ? 'enhance mode' : 'render mode';
  const what = withdrawal ? 'Withdrawal' : 'Submitted';
  document.getElementById('status').textContent =
    `${what} from ${from} at ${new Date().toLocaleTimeString()}. Dropped: ${dropped.length ? dropped.join(', ') : 'nothing'}.`;
});

// The live panel: the render-mode element's preview() after every keystroke and choice.
const rendered = document.getElementById('rendered');
// What three CRMs would receive, shaped by the destination module from the shipped descriptions and the notice,
// with the receipt and its id as placeholders.
const crms = ['json', 'hubspot', 'salesforce'];
const shaping = Promise.all([import(new URL('dist/consent-capture-send.js', document.baseURI).href),
  fetch('demo/notice.json').then((r) => r.text())])
  .then(async ([send, notice]) => {
    // Read against the notice first, as the element does: it loads the module's wasm and checks each one.
    for (const name of crms) await send.readDestination({ name }, notice, 'https://crm.example/');
    return { send, notice };
  });
let shaped = null;
shaping.then((loaded) => { shaped = loaded; showPreview(); });
function requestFor({ send, notice }, name, preview) {
  try {
    return send.shapeRequest({ name }, notice, 'https://crm.example/', {
      withdrawal: false, decisions: preview.decisions, fields: preview.payload, receipt: '(the signed receipt)',
      receiptId: '(receipt id)', principal: '(the person)', language: document.documentElement.lang, consentTime: 0,
      pageUri: location.origin + location.pathname, pageName: document.title,
    }) ?? { error: 'nothing is sent for this submission' };
  } catch (error) {
    return { error: String(error) };
  }
}
function showPreview() {
  const preview = rendered.preview();
  if (!preview || !shaped) return;
  const pretty = (request) => (request.error ?? (request.contentType.startsWith('application/json')
    ? JSON.stringify(JSON.parse(request.body), null, 2)
    : request.body.split('&').join('\n&')));
  show('live-manifest', preview.manifest.map((m) => `${m.field}: ${m.outcome}${m.rule ? ` (${m.rule})` : ''}${m.reason ? ` (${m.reason})` : ''}`).join('\n'));
  for (const name of crms) show(`live-${name}`, pretty(requestFor(shaped, name, preview)));
  const sent = Object.keys(preview.payload);
  document.getElementById('live-status').textContent = `${sent.length} of ${preview.manifest.length} fields would leave the browser.`;
}
for (const type of ['input', 'change', 'consent-capture:change']) rendered.addEventListener(type, showPreview);

document.addEventListener('consent-capture:error', (event) => {
  document.getElementById('status').textContent = `Error: ${event.detail.message}`;
});

document.getElementById('language').addEventListener('change', (event) => {
  for (const element of document.querySelectorAll('consent-capture')) element.setAttribute('lang', event.target.value);
});

// With `make demo` the receiver runs beside the demo: the render-mode form sends to it (the json destination), and
// its acknowledgement shows here. Without it, the form sends nowhere.
fetch('demo/receiver.json').then((response) => (response.ok ? response.json() : null)).then((receiver) => {
  if (!receiver) return;
  rendered.setAttribute('adapter', 'json');
  rendered.setAttribute('endpoint', receiver.endpoint);
  document.getElementById('receiver-status').textContent = `The render-mode form sends to the receiver at ${receiver.endpoint}.`;
}).catch(() => {});

document.addEventListener('consent-capture:delivery', (event) => {
  const { state, status, acknowledgement } = event.detail;
  document.getElementById('receiver-status').textContent = `Delivery: ${state}${status ? ` (HTTP ${status})` : ''}.`;
  if (!acknowledgement) return;
  show('acknowledgement', `${acknowledgement}\n\n${JSON.stringify(payloadOf(acknowledgement), null, 2)}`);
});
