// Lighthouse (npm, with Debian's Chromium; its default mobile profile: a Moto G Power, slow 4G and 4× CPU
// throttling, simulated) on the demo page two ways: as `make demo` serves it (the recommended embed, drawn
// ahead of time, compressed, with a CDN's cache headers: tools/showcase.mjs) and as the end-to-end tests serve
// it (the plain embed, uncompressed, nothing kept). Three runs each; the median of each score and metric goes
// to target/bench/lighthouse.json for report.mjs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CSP, serve } from '../serve.mjs';
import { showcase } from '../showcase.mjs';
import { chromiumPath } from '../../tests/e2e/browser.mjs';

const root = new URL('../../', import.meta.url);
const RUNS = 3;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

// Asynchronously: the page is served from this very process.
async function lighthouse(url) {
  const { stdout } = await promisify(execFile)(new URL('node_modules/.bin/lighthouse', root).pathname, [url, '--quiet', '--output=json',
    `--only-categories=${CATEGORIES.join(',')}`, '--chrome-flags=--headless=new --no-sandbox'],
  { env: { ...process.env, CHROME_PATH: chromiumPath() }, maxBuffer: 256 << 20, encoding: 'utf8' });
  const report = JSON.parse(stdout);
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(report.categories[c].score * 100)])),
    metrics: Object.fromEntries(METRICS.map((m) => [m, report.audits[m].numericValue])),
  };
}

async function measure(name, options) {
  const server = await serve(options);
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await lighthouse(`http://127.0.0.1:${server.address().port}/`));
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, median(runs.map((r) => r.scores[c]))]));
    console.log(`${name}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}`);
    return { name, scores, metrics: Object.fromEntries(METRICS.map((m) => [m, median(runs.map((r) => r.metrics[m]))])) };
  } finally {
    await new Promise((done) => server.close(done));
  }
}

const cli = new URL('target/debug/consent-capture', root).pathname;
const page = showcase({ cli, csp: CSP });
const results = [
  await measure('make demo (recommended embed, compressed, cached)', { cdn: true, pages: { '/': page } }),
  await measure('the plain embed, as tests serve it', {}),
];
mkdirSync(new URL('target/bench', root), { recursive: true });
writeFileSync(new URL('target/bench/lighthouse.json', root), JSON.stringify({ lighthouse: '13.5.0', results }, null, 2));
