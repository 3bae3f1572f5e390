// A static server for www/ on 127.0.0.1 with the strict CSP a site would use. `node tools/serve.mjs [port]`
// serves until stopped; tests import `serve()` and close it themselves.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressed, encodingFor } from './compression.mjs';

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.jws': 'application/jose',
};

const REPORTS = '/csp-reports';

const defaultRoot = resolve(fileURLToPath(new URL('../www', import.meta.url)));

/**
 * Serves `root` on 127.0.0.1:`port` (0 picks a free port); resolves to the listening server. `pages` maps
 * extra paths to `{ body, csp }` (tests serve their own pages from a real loopback address with it).
 * `receiver` is the origin of a consent-capture receiver: the demo's render-mode form sends to it (the demo
 * reads `/demo/receiver.json`), and the CSP lets the page connect to it, as a site's would.
 * `violations`, an array, asks browsers to report every CSP violation of the files served from `root`
 * (`report-uri`, which all three engines send), and collects the reports' `csp-report` objects in it.
 * `cdn` serves as a CDN would (`make demo`): compressed (brotli, else gzip) and with cache headers, files
 * kept a day and pages revalidated; otherwise nothing is compressed or kept, as tests want.
 */
export function serve({ root = defaultRoot, port = 0, pages = {}, receiver, violations, cdn = false } = {}) {
  let csp = receiver ? `${CSP}; connect-src 'self' ${receiver}` : CSP;
  if (violations) csp += `; report-uri ${REPORTS}`;
  // Without a receiver the demo page learns so from null (a 404 would be an error in its console).
  pages = { '/demo/receiver.json': { json: receiver ? { endpoint: `${receiver}/receipts` } : null }, ...pages };
  const send = (request, response, status, headers, body) => {
    const cache = cdn ? { 'Cache-Control': headers['Content-Type'] === TYPES['.html'] ? 'no-cache' : 'public, max-age=86400' } : {};
    const coding = cdn && encodingFor(request);
    if (!coding) return response.writeHead(status, { ...headers, ...cache }).end(body);
    response.writeHead(status, { ...headers, ...cache, 'Content-Encoding': coding, Vary: 'Accept-Encoding' }).end(compressed(Buffer.from(body), coding));
  };
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
    if (violations && path === REPORTS && request.method === 'POST') {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        try { violations.push(JSON.parse(body)['csp-report']); } catch { violations.push({ unreadable: body }); }
        response.writeHead(204).end();
      });
      return;
    }
    if (pages[path] && 'json' in pages[path]) {
      response.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(pages[path].json));
      return;
    }
    if (pages[path]) {
      const { body, csp = CSP } = pages[path];
      send(request, response, 200, { 'Content-Type': TYPES['.html'], 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }, body);
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const headers = {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      };
      // The component's files may be loaded from other origins, as from a CDN (with SRI, which needs CORS).
      if (path.startsWith('/dist/')) headers['Access-Control-Allow-Origin'] = '*';
      send(request, response, 200, headers, body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

// `node tools/serve.mjs [port] [receiver origin]`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port = 8080, receiver] = process.argv.slice(2);
  const server = await serve({ port: Number(port), receiver });
  console.log(`consent-capture demo: http://127.0.0.1:${server.address().port}/`);
  if (receiver) console.log(`the render-mode form sends to the receiver at ${receiver}/receipts`);
}
