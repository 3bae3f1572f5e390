// Compression as a CDN serves it: brotli when the request accepts it, else gzip, each body compressed once at
// the highest quality and kept (the files served do not change while a server runs). For tools/serve.mjs (the
// demo) and tools/bench/cdn.mjs (the benchmark).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The coding `request` accepts: `br`, else `gzip`, else null (send it as it is). */
export function encodingFor(request) {
  const accepted = request.headers['accept-encoding'] ?? '';
  if (/\bbr\b/.test(accepted)) return 'br';
  return /\bgzip\b/.test(accepted) ? 'gzip' : null;
}

const kept = new Map();

/** `bytes` compressed with `coding` (`br` or `gzip`). */
export function compressed(bytes, coding) {
  const key = `${coding}:${createHash('sha256').update(bytes).digest('base64')}`;
  if (!kept.has(key)) {
    kept.set(key, coding === 'br'
      ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
      : gzipSync(bytes, { level: 9 }));
  }
  return kept.get(key);
}
