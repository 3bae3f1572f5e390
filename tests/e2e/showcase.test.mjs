// The demo page as `make demo` serves it (tools/showcase.mjs): both forms drawn ahead of time and taken over by
// the element, everything inline allowed by its CSP hash (no violation), files compressed and with a CDN's
// cache headers. Lighthouse's scores for it are in docs/benchmarks.md (make bench).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CSP, serve } from '../../tools/serve.mjs';
import { showcase } from '../../tools/showcase.mjs';
import { CLI, fillDemoFields, nextEvent, open, start } from './browser.mjs';

let env;
let server;
before(async () => {
  env = await start();
  const page = showcase({ cli: CLI, csp: CSP });
  server = await serve({ cdn: true, pages: { '/': page } });
});
after(async () => {
  await env.stop();
  await new Promise((done) => server.close(done));
});

test('the showcase shows both forms drawn, takes them over, submits, and breaks no CSP rule', async () => {
  const { page, context } = await open(env, `http://127.0.0.1:${server.address().port}/`);
  const headers = {};
  page.on('response', (response) => { headers[new URL(response.url()).pathname] = response.headers(); });
  await page.reload();
  const rendered = page.locator('#rendered');
  // Drawn: the form is in the page's HTML, before any script of ours.
  assert.equal(await page.evaluate(() => document.querySelector('#rendered').shadowRoot.querySelector('form') !== null), true);
  await page.waitForFunction(() => [...document.querySelectorAll('consent-capture')].every((element) => element.ready));
  assert.equal(await page.locator('#signup .consent-capture-choices').count(), 1, 'enhance mode took its drawn choices over');
  await fillDemoFields(rendered);
  await rendered.getByRole('button', { name: 'Reject all' }).click();
  const { detail } = await nextEvent(page, 'submit');
  assert.ok(detail.decisions.filter((d) => d.legalBasis === 'consent').every((d) => d.decision === 'denied'));
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.equal(headers['/dist/consent_capture_bg.wasm']['content-encoding'], 'br');
  assert.equal(headers['/dist/consent_capture_bg.wasm']['cache-control'], 'public, max-age=86400');
  assert.equal(headers['/']['cache-control'], 'no-cache');
  await context.close();
});
