// Shows what each submission produced, as text, and switches the language of both forms.
const show = (id, value) => { document.getElementById(id).textContent = JSON.stringify(value, null, 2); };

document.addEventListener('consent-capture:submit', (event) => {
  const { payload, manifest, receipt, consentMode } = event.detail;
  show('payload', payload);
  show('manifest', manifest);
  show('consent-mode', consentMode);
  show('receipt', receipt);
  const dropped = manifest.filter((entry) => entry.outcome === 'dropped').map((entry) => entry.field);
  const from = event.target.id === 'enhanced' ? 'enhance mode' : 'render mode';
  document.getElementById('status').textContent =
    `Submitted from ${from} at ${new Date().toLocaleTimeString()}. Dropped: ${dropped.length ? dropped.join(', ') : 'nothing'}.`;
});

document.addEventListener('consent-capture:error', (event) => {
  document.getElementById('status').textContent = `Error: ${event.detail.message}`;
});

document.getElementById('language').addEventListener('change', (event) => {
  for (const element of document.querySelectorAll('consent-capture')) element.setAttribute('lang', event.target.value);
});
