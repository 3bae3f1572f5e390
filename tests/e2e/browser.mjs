// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core (never a downloaded
// browser), and the demo server on a free loopback port. Both stop when the test file ends.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CSP, serve } from '../../tools/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export const CLI = new URL('../../target/debug/consent-capture', import.meta.url).pathname;

/** Runs the native CLI (`make test-e2e` builds it): its exit code and everything it printed. */
export function cli(...args) {
  const result = spawnSync(CLI, args, { encoding: 'utf8' });
  return { code: result.status, out: result.stdout + result.stderr };
}

/** The code of the testing guide's (docs/qa.md) first js block after the text `lead`. */
export function guideBlock(lead) {
  const guide = readFileSync(new URL('../../docs/qa.md', import.meta.url), 'utf8');
  const at = guide.indexOf(lead);
  assert.ok(at >= 0, `the testing guide has "${lead}"`);
  return guide.slice(at).match(/```js\n([\s\S]*?)```/)[1];
}

/**
 * In the page: records every consent-capture event in `window.__events` (once per document). An init script
 * here; evaluated after each load where a driver has no init scripts.
 */
export function recordEvents() {
  if (window.__events) return;
  window.__events = [];
  for (const kind of ['submit', 'change', 'error', 'delivery']) {
    document.addEventListener(`consent-capture:${kind}`, (e) => window.__events.push({ kind, target: e.target.id, detail: e.detail }));
  }
}

export const DEMO_NOTICE = JSON.parse(readFileSync(new URL('../../www/demo/notice.json', import.meta.url), 'utf8'));

export const HOSTILE = '</template><img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)" onclick="alert(4)">x</a>';

/** The demo notice with HOSTILE in every text a person reads (purpose names end with their language). */
export function hostileNotice() {
  const notice = structuredClone(DEMO_NOTICE);
  notice.controller.name = HOSTILE;
  for (const purpose of notice.purposes) {
    for (const language of notice.languages) {
      purpose.name[language] = `${HOSTILE} ${language}`;
      purpose.description[language] = HOSTILE;
      purpose.termination[language] = HOSTILE;
    }
    purpose.thirdParties = [HOSTILE];
  }
  for (const field of notice.fields) field.label.en = HOSTILE;
  notice.fields[3].options[0].label.en = HOSTILE;
  notice.texts = { ...notice.texts, en: { acceptAll: HOSTILE, privacyPolicy: HOSTILE } };
  return notice;
}

/** Debian's Chromium: $CHROMIUM, else `chromium` on the PATH. */
export function chromiumPath() {
  return process.env.CHROMIUM ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

/** Starts the server (`options` as `serve` takes them) and the browser; call `stop()` in `after`. */
export async function start(options) {
  const server = await serve(options);
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
 * A fresh context and page (at `path` on the demo server, or at an absolute URL) that records CSP violations, requests, dialogs, console warnings and every
 * consent-capture event. `routes` maps paths to `{ body, type, csp }` served on the same origin (with the demo's
 * CSP unless `csp` says otherwise);
 * `init` runs in the page before any of its scripts; `context` opens the page in an existing context (the same
 * browser profile, as on a later visit).
 */
export async function open(env, path = '/', { routes = {}, init, contextOptions = {}, context: reused } = {}) {
  const context = reused ?? await env.browser.newContext(contextOptions);
  const page = await context.newPage();
  const requests = [];
  const dialogs = [];
  const warnings = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
    if (message.type() === 'error') errors.push(message.text());
  });
  for (const [route, { body, type = 'text/html; charset=utf-8', csp = CSP }] of Object.entries(routes)) {
    await page.route(env.origin + route, (r) => r.fulfill({ body, contentType: type, headers: { 'Content-Security-Policy': csp } }));
  }
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.addInitScript(recordEvents);
  if (init) await page.addInitScript(init);
  await page.goto(path.startsWith('http') ? path : env.origin + path);
  return { page, context, requests, dialogs, warnings, errors };
}

/** The `n`th (default: last) consent-capture event of `kind`, waiting for it. */
export async function nextEvent(page, kind, count = 1) {
  await page.waitForFunction(([k, c]) => window.__events.filter((e) => e.kind === k).length >= c, [kind, count]);
  return page.evaluate((k) => window.__events.filter((e) => e.kind === k).at(-1), kind);
}

/**
 * When the element `#id` cannot show its form: waits for what a visitor reads there, asserts that it is the one
 * sentence (`sentence`: the built-in one, or the page's `unavailable` attribute) and nothing of what went wrong,
 * and returns what went wrong as the element's consent-capture:error event says it to the site's developers.
 */
export async function unavailable(page, id, sentence = 'This form cannot be shown.') {
  const alert = page.locator(`#${id}`).getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.innerText()).trim(), sentence);
  const problem = await page.waitForFunction((target) => window.__events.find((e) => e.kind === 'error' && e.target === target)?.detail.message, id);
  return problem.jsonValue();
}

/** A minimal page: the element and an optional site form, loading the component like a site would. */
export function testPage(body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title>
<script type="module" src="/dist/consent-capture.js"></script></head><body>${body}</body></html>`;
}

/** Fills the demo fields of a form located by `scope`. */
export async function fillDemoFields(scope) {
  await scope.getByLabel('Your name').fill('Ada Lovelace');
  await scope.getByLabel('E-mail address').fill('ada@example.com');
  await scope.getByLabel('Company').fill('Analytical Engines Ltd');
  await scope.getByLabel('Topic').selectOption('support');
}

/** The receipt JSON inside a compact JWS (the signature is checked elsewhere). */
export function receiptPayload(jws) {
  assert.match(jws, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWS');
  return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));
}

/** Checks `text` in the receipt viewer page open in `page` and returns its verdict line. */
export async function viewerVerdict(page, text) {
  await page.getByLabel('Receipt text').fill(text);
  await page.evaluate(() => { delete document.getElementById('verdict').dataset.valid; });
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForFunction(() => document.getElementById('verdict').dataset.valid);
  return page.locator('#verdict').innerText();
}
