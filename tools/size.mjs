// Prints raw, gzip -9 and brotli (quality 11) bytes of what a page loads for the component: the bundled module
// with its glue, the element's wasm and the stylesheet (the budgeted total); and the receipt verifier (its
// module and wasm), which only pages that verify receipts load. With --check it fails when the component's
// brotli total exceeds the budget in tools/size-budget.json.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('../', import.meta.url);
export const component = ['www/dist/consent_capture_bg.wasm', 'www/dist/consent-capture.js', 'www/dist/consent-capture.css'];
export const verifier = ['www/dist/consent-capture-verify.js', 'www/dist/consent_capture_verify_bg.wasm'];
export const budget = JSON.parse(readFileSync(new URL('tools/size-budget.json', root), 'utf8')).brotliBytes;

/** Raw, gzip -9 and brotli (quality 11) bytes of a file of the repository. */
export function measure(name) {
  const bytes = readFileSync(new URL(name, root));
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
  line({ name: 'total (every page)', ...total });
  verifierRows.forEach(line);
  line({ name: 'receipt verifier (pages that verify)', ...sum(verifierRows) });
  console.log(`budget: ${total.brotli} of ${budget} brotli bytes (${((100 * total.brotli) / budget).toFixed(1)} %)`);
  if (process.argv.includes('--check') && total.brotli > budget) {
    console.error(`size: over budget by ${total.brotli - budget} brotli bytes (tools/size-budget.json)`);
    process.exit(1);
  }
}
