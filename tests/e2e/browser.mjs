// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core (never a downloaded
// browser), and the demo server on a free loopback port. Both stop when the test file ends.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from '../../tools/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

function chromiumPath() {
  return process.env.CHROMIUM ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

/** Starts the server and the browser; call `stop()` in `after`. */
export async function start() {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    browser,
    async stop() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * A fresh page that counts CSP violations and records every request, resolving the next
 * consent-capture:submit detail on demand.
 */
export async function openDemo(env, path = '/') {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__submits = [];
    document.addEventListener('consent-capture:submit', (e) => window.__submits.push(e.detail));
    window.__errors = [];
    document.addEventListener('consent-capture:error', (e) => window.__errors.push(e.detail.message));
  });
  await page.goto(env.origin + path);
  return { page, context, requests };
}
