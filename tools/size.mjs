// Prints raw, gzip -9 and brotli (quality 11) bytes of everything a page loads for the component (the bundled
// module with its glue, the wasm and the stylesheet), and with
// --check fails when the brotli total exceeds the budget in tools/size-budget.json.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('../', import.meta.url);
const files = ['www/dist/consent_capture_bg.wasm', 'www/dist/consent-capture.js', 'www/dist/consent-capture.css'];
const budget = JSON.parse(readFileSync(new URL('tools/size-budget.json', root), 'utf8')).brotliBytes;

const rows = files.map((name) => {
  const bytes = readFileSync(new URL(name, root));
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli.length };
});
const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });

const pad = (value, width) => String(value).padStart(width);
console.log(`${'file'.padEnd(36)}${pad('raw', 9)}${pad('gzip -9', 9)}${pad('brotli', 9)}`);
for (const r of [...rows, { name: 'total', ...total }]) {
  console.log(`${r.name.padEnd(36)}${pad(r.raw, 9)}${pad(r.gzip, 9)}${pad(r.brotli, 9)}`);
}
console.log(`budget: ${total.brotli} of ${budget} brotli bytes (${((100 * total.brotli) / budget).toFixed(1)} %)`);
if (process.argv.includes('--check') && total.brotli > budget) {
  console.error(`size: over budget by ${total.brotli - budget} brotli bytes (tools/size-budget.json)`);
  process.exit(1);
}
