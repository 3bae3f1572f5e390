// Prints raw, gzip -9 and brotli (quality 11) bytes of what a page loads for the component: the bundled module
// with its glue and stylesheet, the element's wasm and the early script (the whole element, budgeted); what
// must arrive before the form is visible with the embed `make dist` prints (the critical path, budgeted): the
// early script and the demo notice's form drawn ahead of time with its stylesheet; the receipt verifier (its
// module and wasm), which only pages that verify receipts load; and the destination module (its module and wasm),
// which pages that send load beside the form. With --check it fails when either budgeted
// brotli total exceeds its budget in tools/size-budget.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { embed, rendered } from './embed.mjs';

const root = new URL('../', import.meta.url);
export const component = ['www/dist/consent_capture_bg.wasm', 'www/dist/consent-capture.js', 'www/dist/consent-capture-early.js'];
export const verifier = ['www/dist/consent-capture-verify.js', 'www/dist/consent_capture_verify_bg.wasm'];
export const destinations = ['www/dist/consent-capture-send.js', 'www/dist/consent_capture_send_bg.wasm'];
const budgets = JSON.parse(readFileSync(new URL('tools/size-budget.json', root), 'utf8'));
export const budget = budgets.brotliBytes;
export const criticalBudget = budgets.criticalPathBrotliBytes;

/**
 * The critical path's rows: what the embed puts in the page for the form to show, nothing of it fetched: the
 * early script, and the demo notice's form drawn by the CLI with its stylesheet. Each compressed on its own
 * (in a page they share its compression, which can only make them smaller).
 */
export function criticalPath() {
  const form = rendered({ cli: cliPath(), folder: new URL('www/dist', root).pathname,
    noticeFile: new URL('www/demo/notice.json', root).pathname, notice: '/privacy/notice.json' });
  const { early } = embed({ folder: new URL('www/dist', root).pathname, base: '/', notice: '/privacy/notice.json' });
  return [measureBytes('the early script, in the page', Buffer.from(early)),
    measureBytes('the demo notice\'s form, with its stylesheet', Buffer.from(form))];
}

/** The CLI, built (debug) first: `make bundle` measures before anything else has built it. */
function cliPath() {
  execFileSync('cargo', ['build', '-q', '--bin', 'consent-capture'], { cwd: root, stdio: 'inherit' });
  return new URL('target/debug/consent-capture', root).pathname;
}

/** Raw, gzip -9 and brotli (quality 11) bytes of a file of the repository. */
export const measure = (name) => measureBytes(name, readFileSync(new URL(name, root)));

/** Raw, gzip -9 and brotli (quality 11) sizes of `bytes`, named `name`. */
function measureBytes(name, bytes) {
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli.length };
}
export const sum = (rows) => rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip, brotli: s.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const rows = component.map(measure);
  const total = sum(rows);
  const verifierRows = verifier.map(measure);
  const pad = (value, width) => String(value).padStart(width);
  const line = (r) => console.log(`${r.name.padEnd(44)}${pad(r.raw, 9)}${pad(r.gzip, 9)}${pad(r.brotli, 9)}`);
  console.log(`${'file'.padEnd(44)}${pad('raw', 9)}${pad('gzip -9', 9)}${pad('brotli', 9)}`);
  rows.forEach(line);
  line({ name: 'whole element (every page)', ...total });
  const critical = criticalPath();
  const criticalTotal = sum(critical);
  critical.forEach(line);
  line({ name: 'critical path (before the form shows)', ...criticalTotal });
  verifierRows.forEach(line);
  line({ name: 'receipt verifier (pages that verify)', ...sum(verifierRows) });
  const destinationRows = destinations.map(measure);
  destinationRows.forEach(line);
  line({ name: 'destination module (pages that send)', ...sum(destinationRows) });
  const over = [];
  for (const [what, bytes, limit] of [['whole element', total.brotli, budget], ['critical path', criticalTotal.brotli, criticalBudget]]) {
    console.log(`budget, ${what}: ${bytes} of ${limit} brotli bytes (${((100 * bytes) / limit).toFixed(1)} %)`);
    if (bytes > limit) over.push(`${what} over budget by ${bytes - limit} brotli bytes`);
  }
  if (process.argv.includes('--check') && over.length) {
    console.error(`size: ${over.join('; ')} (tools/size-budget.json)`);
    process.exit(1);
  }
}
