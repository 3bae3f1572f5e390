// Shows what each submission produced, as text.
const show = (id, value) => { document.getElementById(id).textContent = JSON.stringify(value, null, 2); };

document.addEventListener('consent-capture:submit', (event) => {
  const { payload, manifest, receipt } = event.detail;
  show('payload', payload);
  show('manifest', manifest);
  show('receipt', receipt);
  const dropped = manifest.filter((entry) => entry.outcome === 'dropped').map((entry) => entry.field);
  document.getElementById('status').textContent =
    `Submitted at ${new Date().toLocaleTimeString()}. Dropped: ${dropped.length ? dropped.join(', ') : 'nothing'}.`;
});

document.addEventListener('consent-capture:error', (event) => {
  document.getElementById('status').textContent = `Error: ${event.detail.message}`;
});
