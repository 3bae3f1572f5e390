// Micro-benchmarks of consent-capture alone, in headless Chromium (Debian's, through playwright-core): notice
// parse + validate, form model, render (notice to form in the DOM), minimise a 12-field form, the request each
// shipped destination a page may send to shapes from it (the destination module: read against the notice, then
// shaped, as each submission does), submit to a signed receipt (minimise, build, canonicalise, hash, sign with WebCrypto, keep in
// IndexedDB, show), verify a receipt; and wasm memory across 1,000 more receipts. performance.now() is coarse
// (100 µs) without cross-origin isolation, so fast operations are timed in batches. Prints medians and ranges
// and writes target/bench/micro.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEMO_NOTICE, open, start, testPage } from '../../tests/e2e/browser.mjs';

const SAMPLES = Number(process.env.SAMPLES ?? 100);
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

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

const env = await start();
try {
  const routes = {
    '/bench.html': { body: testPage('<consent-capture id="bench" notice="/bench.json" lang="en"></consent-capture>') },
    '/bench.json': { body: JSON.stringify(notice), type: 'application/json' },
  };
  // The element's wasm memory (it never shrinks), seen from outside: its instance, as the glue makes it.
  const init = () => {
    const { Instance } = WebAssembly;
    WebAssembly.Instance = function instance(module, imports) {
      const made = new Instance(module, imports);
      window.__wasmMemory ??= made.exports.memory;
      return made;
    };
  };
  const { page, context } = await open(env, '/bench.html', { routes, init });
  await page.locator('#bench form').waitFor();
  const raw = await page.evaluate(async ({ samples, values, noticeText }) => {
    const batchTime = (batch, run) => {
      const started = performance.now();
      for (let i = 0; i < batch; i += 1) run();
      return (performance.now() - started) / batch;
    };
    const repeat = async (count, sample) => {
      const out = [];
      for (let i = 0; i < count + 5; i += 1) {
        const value = await sample();
        if (i >= 5) out.push(value); // the first five warm up
      }
      return out;
    };
    // The wasm API itself, through the unbundled glue beside the bundle.
    const glue = await import('/pkg/consent_capture.js');
    await glue.default({ module_or_path: '/pkg/consent_capture_bg.wasm' });
    const options = JSON.stringify({ languages: ['en'], gpc: false });
    const parse = await repeat(samples, () => batchTime(20, () => new glue.Consent(noticeText, options).free()));
    const consent = new glue.Consent(noticeText, options);
    const model = await repeat(samples, () => batchTime(200, () => consent.call('form', '', '', '', new Uint8Array(0), 0)));
    consent.free();

    // Render: a notice object set on a new element, until its form is in the DOM.
    const render = await repeat(samples, () => new Promise((done, fail) => {
      const element = document.createElement('consent-capture');
      element.addEventListener('consent-capture:error', (e) => fail(new Error(e.detail.message)));
      const started = performance.now();
      element.notice = JSON.parse(noticeText);
      document.body.append(element);
      // The element attaches its shadow root in a microtask after it connects, and adds the form in one go.
      const finish = () => {
        if (!element.shadowRoot?.querySelector('form')) return false;
        const took = performance.now() - started;
        element.remove();
        done(took);
        return true;
      };
      const seen = new MutationObserver(() => { if (finish()) seen.disconnect(); });
      queueMicrotask(() => {
        if (!finish()) seen.observe(element.shadowRoot, { childList: true, subtree: true });
      });
    }));

    const element = document.getElementById('bench');
    for (const [name, value] of Object.entries(values)) element.shadowRoot.querySelector(`[name="${name}"]`).value = value;
    for (const box of element.shadowRoot.querySelectorAll('input[type=checkbox]')) box.checked = true;
    let preview;
    const minimise = await repeat(samples, () => batchTime(20, () => { preview = element.preview(); }));

    // Each browser destination's request from that payload, through the destination module's own glue.
    const send = await import('/pkg/consent_capture_send.js');
    await send.default({ module_or_path: '/pkg/consent_capture_send_bg.wasm' });
    const submission = JSON.stringify({
      withdrawal: false, decisions: preview.decisions, fields: preview.payload, receipt: 'e30.e30.e30',
      receiptId: '00000000-0000-4000-8000-000000000000', principal: 'jwk-thumbprint:x', language: 'en',
      consentTime: 1795000000, pageUri: location.href, pageName: document.title,
    });
    const shaping = {};
    for (const name of ['json', 'hubspot', 'salesforce', 'mailchimp-form', 'zoho', 'activecampaign', 'pardot', 'segment']) {
      const made = () => send.shape_request(name, '', noticeText, 'https://crm.example/submit', submission);
      if (JSON.parse(made()) === null) throw new Error(`${name}: no request`);
      shaping[name] = await repeat(samples, () => batchTime(20, made));
    }

    // Submit to signed receipt, through the element's own form (each one chains to the last): after the first,
    // as a person sends again, with the receipt panel's Send again.
    const form = element.shadowRoot.querySelector('form');
    // The element takes the next submission once this one is handed to the outbox, just after its event: the
    // next click waits a task (a person is slower), and the time is taken at the event.
    const submitOnce = () => new Promise((resolve) => {
      element.addEventListener('consent-capture:submit', (event) => {
        const at = performance.now();
        setTimeout(() => resolve({ receipt: event.detail.receipt, at }));
      }, { once: true });
      element.shadowRoot.querySelector('button[part~="again"]')?.click();
      form.querySelector('button[value="save"]').click();
    });
    let receipt;
    const sign = await repeat(samples, async () => {
      const started = performance.now();
      const submitted = await submitOnce();
      receipt = submitted.receipt;
      return submitted.at - started;
    });
    const wasmMemoryBytes = () => window.__wasmMemory.buffer.byteLength;
    const memory = [wasmMemoryBytes()];
    for (let i = 0; i < 1000; i += 1) {
      await submitOnce();
      if ((i + 1) % 250 === 0) memory.push(wasmMemoryBytes());
    }
    const { verifyReceipt } = await import('/dist/consent-capture-verify.js');
    const verify = await repeat(samples, async () => {
      const started = performance.now();
      const { valid } = await verifyReceipt(receipt);
      if (!valid) throw new Error('the benchmark receipt does not verify');
      return performance.now() - started;
    });
    // Adversarial input: one JSON object of n keys with a repeat at the very end, given as a notice (a review
    // found a duplicate-key check that compared each key with every earlier one: 96,000 keys took 17 s).
    // The parser must reach the repeat in n log n: 10 MB should take about 10× what 1 MB takes.
    const manyKeys = (bytes) => {
      const parts = [];
      for (let i = 0, size = 2; size < bytes; i += 1) {
        parts.push(`"k${i}":0`);
        size += parts.at(-1).length + 1;
      }
      return `{${parts.join(',')},"k0":0}`;
    };
    const hostile = (text) => {
      const out = [];
      for (let i = 0; i < 6; i += 1) {
        const started = performance.now();
        try { new glue.Consent(text, options).free(); } catch { /* refused: the repeated key */ }
        if (i > 0) out.push(performance.now() - started); // the first warms up
      }
      return out;
    };
    const hostile1 = hostile(manyKeys(1_000_000));
    const hostile10 = hostile(manyKeys(10_000_000));
    const fields = preview.manifest.length;
    const transformed = preview.manifest.filter((m) => m.outcome === 'transformed').length;
    return { parse, model, render, minimise, shaping, sign, verify, hostile1, hostile10, memory, fields, transformed, receiptBytes: receipt.length };
  }, { samples: SAMPLES, values, noticeText: JSON.stringify(notice) });
  await context.close();

  const results = {
    date: new Date().toISOString(), chromium: env.browser.version(), samples: SAMPLES,
    fields: raw.fields, transformed: raw.transformed, receiptBytes: raw.receiptBytes,
    timings: {
      'notice parse + validate (12 fields)': summary(raw.parse),
      'form model': summary(raw.model),
      'render (notice set to form in the DOM)': summary(raw.render),
      [`minimise ${raw.fields} fields`]: summary(raw.minimise),
      ...Object.fromEntries(Object.entries(raw.shaping).map(([name, samples]) => [`the ${name} request (read + shape)`, summary(samples)])),
      'submit to signed receipt': summary(raw.sign),
      'verify a receipt': summary(raw.verify),
      'adversarial 1 MB (one object, a repeated key at the end)': summary(raw.hostile1),
      'adversarial 10 MB (one object, a repeated key at the end)': summary(raw.hostile10),
    },
    memoryKiB: raw.memory.map((b) => b / 1024),
  };
  console.log(`Chromium ${results.chromium}; ${SAMPLES} samples each after 5 warm-up; ${raw.fields} fields, ${raw.transformed} transformed; receipt ${raw.receiptBytes} bytes`);
  for (const [name, s] of Object.entries(results.timings)) {
    console.log(`${name.padEnd(44)} median ${s.median.toFixed(3)} ms   p10 ${s.p10.toFixed(3)}   p90 ${s.p90.toFixed(3)}   min ${s.min.toFixed(3)}   max ${s.max.toFixed(3)}`);
  }
  results.adversarialRatio = results.timings['adversarial 10 MB (one object, a repeated key at the end)'].median
    / results.timings['adversarial 1 MB (one object, a repeated key at the end)'].median;
  console.log(`adversarial input: 10 MB takes ${results.adversarialRatio.toFixed(1)}× the time of 1 MB (n log n: about 10)`);
  console.log(`wasm linear memory before and after each 250 of 1,000 more receipts (KiB): ${results.memoryKiB.join(', ')}`);
  mkdirSync(new URL('../../target/bench/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../../target/bench/micro.json', import.meta.url), JSON.stringify(results, null, 2));
} finally {
  await env.stop();
}
