// The script-tag install: the bundled module served from another origin (a CDN, here a second loopback port),
// pinned with Subresource Integrity; it fetches its wasm (also integrity-checked) beside itself and carries its
// stylesheet, so the site's style-src does not name the CDN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { embed } from '../../tools/embed.mjs';
import { integrity } from '../../tools/integrity.mjs';
import { serve } from '../../tools/serve.mjs';
import { DEMO_NOTICE, fillDemoFields, nextEvent, open, receiptPayload, start } from './browser.mjs';

let env;
let cdn;
let site;
before(async () => {
  env = await start();
  cdn = await serve();
  const hints = embed({ folder: new URL('../../www/dist', import.meta.url).pathname, base: `${cdnOrigin()}/dist/`, notice: '/demo/notice.json' });
  const pages = { '/good.html': sitePage(integrity(new URL('../../www/dist/consent-capture.js', import.meta.url).pathname)),
    '/tampered.html': sitePage('sha384-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    '/preloaded.html': sitePage(integrity(new URL('../../www/dist/consent-capture.js', import.meta.url).pathname), hints.preload) };
  site = await serve({ pages });
});
after(async () => {
  await env.stop();
  await new Promise((done) => cdn.close(done));
  await new Promise((done) => site.close(done));
});

const cdnOrigin = () => `http://127.0.0.1:${cdn.address().port}`;
const siteUrl = (path) => `http://127.0.0.1:${site.address().port}${path}`;

// A site page: its own origin and CSP, the component from the "CDN" origin, pinned with SRI, after `head`.
function sitePage(sri, head = '') {
  const csp = `default-src 'self'; script-src 'self' ${cdnOrigin()} 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${cdnOrigin()}; object-src 'none'; base-uri 'none'`;
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site</title>${head}
<script type="module" src="${cdnOrigin()}/dist/consent-capture.js" integrity="${sri}" crossorigin="anonymous"></script>
</head><body><consent-capture id="tag" notice="/demo/notice.json" lang="en"></consent-capture></body></html>`;
  return { body, csp };
}


test('one pinned script tag from another origin renders the form and signs receipts', async () => {
  const { page, context, requests } = await open(env, siteUrl('/good.html'));
  const form = page.locator('#tag form');
  await form.waitFor();
  await fillDemoFields(page.locator('#tag'));
  await page.locator('#tag').getByRole('button', { name: 'Reject all' }).click();
  const { detail } = await nextEvent(page, 'submit');
  assert.equal(receiptPayload(detail.receipt).version, 'KI-CR-v1.1.0');
  const fromCdn = requests.filter((url) => url.startsWith(cdnOrigin())).map((url) => new URL(url).pathname).sort();
  assert.deepEqual(fromCdn, ['/dist/consent-capture.js', '/dist/consent_capture_bg.wasm']);
  const accent = await page.locator('#tag').getByRole('heading').first().evaluate((heading) => getComputedStyle(heading.closest('.cc-receipt')).borderColor);
  assert.equal(accent, 'rgb(11, 87, 208)', 'styled by the stylesheet in the module');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

test('with the preload hints make dist prints, the wasm and the notice are each fetched once, the wasm before the module', async () => {
  const { page, context, requests } = await open(env, siteUrl('/preloaded.html'));
  await page.locator('#tag form').waitFor();
  const paths = requests.map((url) => new URL(url).pathname);
  assert.equal(paths.filter((p) => p === '/dist/consent_capture_bg.wasm').length, 1, 'the element used the preloaded wasm');
  assert.equal(paths.filter((p) => p === '/demo/notice.json').length, 1, 'the element used the preloaded notice');
  assert.ok(paths.indexOf('/dist/consent_capture_bg.wasm') < paths.indexOf('/dist/consent-capture.js'), 'the wasm was asked for first');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

test('a module that does not match its integrity value is not run', async () => {
  const { page, context } = await open(env, siteUrl('/tampered.html'));
  await page.waitForLoadState('networkidle');
  assert.equal(await page.evaluate(() => customElements.get('consent-capture') === undefined), true);
  assert.equal(await page.locator('#tag form').count(), 0);
  await context.close();
});

test('a notice set before the element is defined is taken over, and a second copy of the module registers nothing', async () => {
  // A framework that renders first and imports the package later; then another bundle with its own copy.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two copies</title>
<script type="module" src="/demo/late.js"></script></head><body></body></html>`;
  const late = `const element = document.createElement('consent-capture');
element.notice = ${JSON.stringify(DEMO_NOTICE)};
element.setAttribute('lang', 'en');
document.body.append(element);
await import('/dist/consent-capture.js');
await import('/dist/consent-capture.js?second-copy');
document.body.dataset.imported = 'twice';`;
  const { page, context } = await open(env, '/two-copies.html', {
    routes: { '/two-copies.html': { body }, '/demo/late.js': { body: late, type: 'text/javascript' } },
    init: () => {
      window.__errors = [];
      addEventListener('error', (event) => window.__errors.push(event.message));
      addEventListener('unhandledrejection', (event) => window.__errors.push(String(event.reason)));
    },
  });
  await page.locator('consent-capture form').waitFor();
  await page.waitForFunction(() => document.body.dataset.imported === 'twice');
  assert.equal(await page.locator('consent-capture').getAttribute('notice'), null, 'the object was kept, not written as an attribute');
  assert.deepEqual(await page.evaluate(() => window.__errors), []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});
