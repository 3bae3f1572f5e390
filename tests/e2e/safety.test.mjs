// Nothing from a notice becomes markup, the strict CSP holds, host page CSS cannot break the form (and the
// form never restyles the page), and loading the element sends nothing anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_NOTICE, fillDemoFields, HOSTILE, hostileNotice, nextEvent, open, start, testPage, unavailable } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

test('the demo page under the strict CSP: no violation, and nothing leaves the origin', async () => {
  const { page, context, requests } = await open(env);
  await fillDemoFields(page.locator('#rendered'));
  await page.locator('#rendered').getByRole('button', { name: 'Accept all' }).click();
  await nextEvent(page, 'submit');
  await page.locator('#signup').getByLabel('Your name').fill('Ada');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(requests.filter((url) => !url.startsWith(env.origin)), []);
  await context.close();
});

test('loading the element makes no request beyond its own files and the notice', async () => {
  const { page, context, requests } = await open(env);
  await page.locator('#rendered form').waitFor();
  await page.waitForLoadState('networkidle');
  const paths = [...new Set(requests.map((url) => new URL(url).pathname))].sort();
  // /demo/receiver.json is the demo page's own script asking whether `make demo` runs a receiver (here: no). The
  // demo's notice is signed: the verifier module and its wasm check the signature. The demo's live panel (its own
  // script) loads the destination module to show what three CRMs would receive.
  assert.deepEqual(paths, ['/', '/demo/demo.css', '/demo/demo.js', '/demo/notice.json', '/demo/notice.jws', '/demo/receiver.json',
    '/dist/consent-capture-send.js', '/dist/consent-capture-verify.js', '/dist/consent-capture.js', '/dist/consent_capture_bg.wasm',
    '/dist/consent_capture_send_bg.wasm', '/dist/consent_capture_verify_bg.wasm', '/favicon.svg']);
  await context.close();
});

test('hostile strings in every text of a notice stay text: no element, no script, no dialog', async () => {
  const routes = {
    '/hostile.html': { body: testPage('<consent-capture id="hostile" notice="/hostile.json" lang="en"></consent-capture>') },
    '/hostile.json': { body: JSON.stringify(hostileNotice()), type: 'application/json' },
  };
  const { page, context, dialogs } = await open(env, '/hostile.html', { routes });
  await page.locator('#hostile form').waitFor();
  const found = await page.locator('#hostile').evaluate((el) => ({
    injected: el.shadowRoot.querySelectorAll('img, script, a[href^="javascript"], [onclick], [onerror]').length,
    shown: el.shadowRoot.querySelector('label[for=cc-purpose-1]').textContent,
  }));
  assert.deepEqual(found, { injected: 0, shown: `${HOSTILE} en` });
  await fillDemoFields(page.locator('#hostile').locator('form').first()).catch(() => {});
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

test('a javascript: policy URL is refused with a visible error, never rendered as a link', async () => {
  const notice = structuredClone(DEMO_NOTICE);
  notice.policyUrl = 'javascript:alert(document.cookie)';
  const routes = {
    '/js-url.html': { body: testPage('<consent-capture id="bad" notice="/js-url.json"></consent-capture>') },
    '/js-url.json': { body: JSON.stringify(notice), type: 'application/json' },
  };
  const { page, context } = await open(env, '/js-url.html', { routes });
  assert.match(await unavailable(page, 'bad'), /policyUrl: must be an absolute http:\/\/ or https:\/\/ URL/);
  assert.equal(await page.locator('#bad a').count(), 0);
  await context.close();
});

test('host page CSS cannot break the form, and the form never restyles the page', async () => {
  const hostileCss = `html { font-size: 4px; } body { color: #fff; line-height: 0.5; letter-spacing: 4px; text-transform: uppercase; }
    input, select, button, label, fieldset, legend, p, a, div { display: none !important; visibility: hidden !important; }`;
  const routes = {
    '/styled.html': { body: testPage(`<link rel="stylesheet" href="/hostile.css"><span id="outside">outside</span>
      <consent-capture id="styled" notice="/demo/notice.json" lang="en"></consent-capture>`) },
    '/hostile.css': { body: hostileCss, type: 'text/css' },
  };
  const { page, context } = await open(env, '/styled.html', { routes });
  await page.locator('#styled form').waitFor();
  const inside = await page.locator('#styled').evaluate((el) => {
    const root = el.shadowRoot;
    const label = getComputedStyle(root.querySelector('label'));
    return {
      buttonVisible: root.querySelector('button').checkVisibility(),
      inputVisible: root.querySelector('input').checkVisibility(),
      fontSize: parseFloat(label.fontSize),
      transform: label.textTransform,
      color: label.color,
    };
  });
  assert.deepEqual(inside, { buttonVisible: true, inputVisible: true, fontSize: 16, transform: 'none', color: 'rgb(26, 26, 26)' });
  const outside = await page.evaluate(() => getComputedStyle(document.getElementById('outside')).textTransform);
  assert.equal(outside, 'uppercase', 'the page keeps its own styles');
  await context.close();
});
