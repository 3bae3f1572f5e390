// Prints the Subresource Integrity value (sha384, base64) of a file: `node tools/integrity.mjs FILE`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function integrity(path) {
  return `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(integrity(process.argv[2]));
