// Micro-benchmark in headless Chromium: minimising a filled 12-field form (each field's purposes and transform,
// the manifest) and shaping the request bodies of all three adapters, through element.preview(), which signs
// and sends nothing. Prints the median and range per form; run with `make bench`.
import { DEMO_NOTICE, open, start, testPage } from '../../tests/e2e/browser.mjs';

// performance.now() is coarse (100 µs) without cross-origin isolation, so each sample times a batch.
const RUNS = Number(process.env.RUNS ?? 200);
const BATCH = 50;
const WARM_UP = 10;
const label = (en) => ({ en, de: en, ar: en });

// The demo's seven fields and five more, so that every kind of transform runs.
const notice = structuredClone(DEMO_NOTICE);
notice.fields.push(
  { name: 'lastName', type: 'text', purposes: ['ads'], transform: 'sha256:name', label: label('Last name') },
  { name: 'city', type: 'text', purposes: ['newsletter'], transform: 'truncate:20', label: label('City') },
  { name: 'notes', type: 'textarea', purposes: ['enquiry'], transform: 'truncate:200', label: label('Notes') },
  { name: 'account', type: 'text', purposes: ['enquiry'], transform: 'mask:4', label: label('Account number') },
  { name: 'ip', type: 'hidden', purposes: ['enquiry'], transform: 'ip-truncate', label: label('IP address') },
);
const values = {
  name: 'Ada Lovelace', email: 'Ada.Lovelace@GMail.com', company: 'Analytical Engines Ltd', topic: 'sales',
  phone: '020 7946 0000', birthDate: '1990-06-15', postcode: 'sw1a 1aa', lastName: 'Lovelace', city: 'London',
  notes: 'Please call back about the difference engine. '.repeat(8), account: 'GB29NWBK60161331926819',
  ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
};

const env = await start();
try {
  const routes = {
    '/bench.html': { body: testPage('<consent-capture id="bench" notice="/bench.json" lang="en"></consent-capture>') },
    '/bench.json': { body: JSON.stringify(notice), type: 'application/json' },
  };
  const { page, context } = await open(env, '/bench.html', { routes });
  await page.locator('#bench form').waitFor();
  const result = await page.evaluate(({ runs, warmUp, batch, values }) => {
    const element = document.getElementById('bench');
    for (const [name, value] of Object.entries(values)) element.shadowRoot.querySelector(`[name="${name}"]`).value = value;
    for (const box of element.shadowRoot.querySelectorAll('input[type=checkbox]')) box.checked = true;
    const samples = [];
    let last;
    for (let i = 0; i < warmUp + runs; i += 1) {
      const started = performance.now();
      for (let j = 0; j < batch; j += 1) last = element.preview();
      if (i >= warmUp) samples.push((performance.now() - started) / batch);
    }
    return { samples, manifest: last.manifest };
  }, { runs: RUNS, warmUp: WARM_UP, batch: BATCH, values });
  const sorted = [...result.samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const transformed = result.manifest.filter((m) => m.outcome === 'transformed').length;
  console.log(`Chromium ${env.browser.version()}, ${RUNS} samples of ${BATCH} after ${WARM_UP} warm-up samples; ${result.manifest.length} fields, ${transformed} transformed`);
  console.log(`${'minimise 12 fields + 3 adapter bodies'.padEnd(44)} median ${(at(0.5) * 1000).toFixed(0)} µs   p10 ${(at(0.1) * 1000).toFixed(0)}   p90 ${(at(0.9) * 1000).toFixed(0)}   min ${(sorted[0] * 1000).toFixed(0)}   max ${(sorted.at(-1) * 1000).toFixed(0)}   (n=${sorted.length})`);
  await context.close();
} finally {
  await env.stop();
}
