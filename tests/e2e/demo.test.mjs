// The thin slice end to end: the demo page renders the notice in a real browser, and a submission yields a
// receipt, a payload and a manifest in which a refused purpose's fields are absent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

async function fillAndSubmit(page, { newsletter }) {
  const form = page.locator('consent-capture form');
  await form.getByLabel('Your name').fill('Ada Lovelace');
  await form.getByLabel('E-mail address').fill('ada@example.com');
  await form.getByLabel('Company').fill('Analytical Engines Ltd');
  if (newsletter) await form.getByLabel('Monthly newsletter').check();
  await form.getByRole('button', { name: 'Send' }).click();
  await page.waitForFunction(() => window.__submits.length > 0);
  return page.evaluate(() => window.__submits.at(-1));
}

test('the form renders inside a shadow root with the consent purpose unticked', async () => {
  const { page, context } = await openDemo(env);
  const host = page.locator('consent-capture');
  await host.locator('form').waitFor();
  assert.equal(await host.evaluate((el) => el.shadowRoot?.mode), 'open');
  assert.equal(await page.evaluate(() => document.querySelector('form')), null, 'no form leaks into the light DOM');
  const checkbox = host.getByLabel('Monthly newsletter');
  assert.equal(await checkbox.isChecked(), false);
  assert.match(await host.locator('form').innerText(), /legal basis: contract/);
  await context.close();
});

test('a refused purpose removes the fields only it justifies', async () => {
  const { page, context } = await openDemo(env);
  const detail = await fillAndSubmit(page, { newsletter: false });
  assert.deepEqual(detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com' });
  assert.deepEqual(detail.manifest.find((m) => m.field === 'company'),
    { field: 'company', outcome: 'dropped', reason: 'no-purpose-granted' });
  const newsletter = detail.receipt.consentCapture.decisions.find((d) => d.purpose === 'newsletter');
  assert.equal(newsletter.decision, 'denied');
  assert.equal(detail.receipt.version, 'KI-CR-v1.1.0');
  assert.doesNotMatch(JSON.stringify(detail.receipt), /Ada|ada@example|Analytical/, 'no personal value in the receipt');
  // The demo page shows all three, readably.
  assert.match(await page.locator('#payload').innerText(), /"email": "ada@example.com"/);
  assert.doesNotMatch(await page.locator('#payload').innerText(), /Analytical/);
  assert.match(await page.locator('#manifest').innerText(), /no-purpose-granted/);
  assert.match(await page.locator('#receipt').innerText(), /KI-CR-v1.1.0/);
  await context.close();
});

test('a granted purpose lets its fields through', async () => {
  const { page, context } = await openDemo(env);
  const detail = await fillAndSubmit(page, { newsletter: true });
  assert.equal(detail.payload.company, 'Analytical Engines Ltd');
  assert.equal(detail.receipt.consentCapture.decisions.find((d) => d.purpose === 'newsletter').decision, 'granted');
  await context.close();
});

test('the submit event bubbles out of the shadow root and is composed', async () => {
  const { page, context } = await openDemo(env);
  await page.evaluate(() => {
    window.__seen = null;
    document.body.addEventListener('consent-capture:submit', (e) => { window.__seen = { bubbles: e.bubbles, composed: e.composed }; });
  });
  await fillAndSubmit(page, { newsletter: false });
  assert.deepEqual(await page.evaluate(() => window.__seen), { bubbles: true, composed: true });
  await context.close();
});

test('under the strict CSP nothing is blocked, and nothing leaves the origin', async () => {
  const { page, context, requests } = await openDemo(env);
  await fillAndSubmit(page, { newsletter: true });
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(requests.filter((url) => !url.startsWith(env.origin)), []);
  await context.close();
});

test('a broken notice shows its problems instead of a form, and fires consent-capture:error', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.route('**/demo/notice.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: '{"revision": "1", "languages": ["en"]}' }));
  await page.addInitScript(() => {
    window.__errors = [];
    document.addEventListener('consent-capture:error', (e) => window.__errors.push(e.detail.message));
  });
  await page.goto(env.origin + '/');
  const alert = page.locator('consent-capture').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /jurisdiction: is required/);
  assert.match(await alert.innerText(), /purposes: is required/);
  assert.equal(await page.locator('consent-capture form').count(), 0);
  assert.match((await page.evaluate(() => window.__errors))[0], /controller: is required/);
  await context.close();
});

test('a notice that cannot be fetched is reported', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.origin + '/');
  await page.evaluate(() => document.querySelector('consent-capture').setAttribute('notice', 'demo/missing.json'));
  await page.locator('consent-capture').getByRole('alert').waitFor();
  assert.match(await page.locator('consent-capture').getByRole('alert').innerText(), /HTTP 404/);
  await context.close();
});
