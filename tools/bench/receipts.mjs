// Micro-benchmarks in headless Chromium (Debian's, through playwright-core): the time from a submission to its
// signed receipt (minimise, build, canonicalise, hash, sign with WebCrypto, keep in IndexedDB, show), and the
// time to verify a receipt with verifyReceipt. Prints medians and ranges; run with `make bench`.
import { start } from '../../tests/e2e/browser.mjs';

const RUNS = Number(process.env.RUNS ?? 300);
const WARM_UP = 20;

const env = await start();
try {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.origin}/`);
  await page.locator('#signup').getByLabel('Monthly newsletter').waitFor();
  const result = await page.evaluate(async ({ runs, warmUp }) => {
    const form = document.getElementById('signup');
    form.elements.name.value = 'Ada Lovelace';
    form.elements.email.value = 'ada@example.com';
    form.elements.company.value = 'Analytical Engines Ltd';
    form.elements.topic.value = 'sales';
    const submitOnce = () => new Promise((resolve) => {
      document.addEventListener('consent-capture:submit', (event) => resolve(event.detail.receipt), { once: true });
      form.requestSubmit();
    });
    const signing = [];
    let receipt;
    for (let i = 0; i < warmUp + runs; i += 1) {
      const started = performance.now();
      receipt = await submitOnce();
      if (i >= warmUp) signing.push(performance.now() - started);
    }
    const { wasmMemoryBytes } = await import('/dist/consent-capture.js');
    const { verifyReceipt } = await import('/dist/consent-capture-verify.js');
    // Memory after many receipts: linear memory only grows, so it must level off, not climb with every receipt.
    const memory = [await wasmMemoryBytes()];
    for (let i = 0; i < 1000; i += 1) {
      await submitOnce();
      if ((i + 1) % 250 === 0) memory.push(await wasmMemoryBytes());
    }
    const verifying = [];
    for (let i = 0; i < warmUp + runs; i += 1) {
      const started = performance.now();
      const { valid } = await verifyReceipt(receipt);
      if (!valid) throw new Error('the benchmark receipt does not verify');
      if (i >= warmUp) verifying.push(performance.now() - started);
    }
    return { signing, verifying, memory, bytes: receipt.length };
  }, { runs: RUNS, warmUp: WARM_UP });
  const summary = (name, samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    console.log(`${name.padEnd(44)} median ${at(0.5).toFixed(2)} ms   p10 ${at(0.1).toFixed(2)}   p90 ${at(0.9).toFixed(2)}   min ${sorted[0].toFixed(2)}   max ${sorted.at(-1).toFixed(2)}   (n=${sorted.length})`);
  };
  console.log(`Chromium ${env.browser.version()}, ${RUNS} runs after ${WARM_UP} warm-up runs; receipt ${result.bytes} bytes`);
  summary('submit -> signed receipt event (enhance mode)', result.signing);
  summary('verifyReceipt (WebCrypto)', result.verifying);
  console.log(`wasm linear memory before and after each 250 of 1,000 more receipts (KiB): ${result.memory.map((b) => b / 1024).join(', ')}`);
  await context.close();
} finally {
  await env.stop();
}
