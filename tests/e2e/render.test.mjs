// Render mode end to end: the demo page renders the notice in a real browser, and a submission yields a
// receipt, a payload and a manifest in which a refused purpose's fields are absent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEMO_NOTICE, fillDemoFields, nextEvent, open, receiptPayload, start, testPage, unavailable } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const rendered = (page) => page.locator('#rendered');

async function submitDemo(page, button = 'Send with my choices') {
  await fillDemoFields(rendered(page));
  await rendered(page).getByRole('button', { name: button }).click();
  return (await nextEvent(page, 'submit')).detail;
}

test('the form renders inside an open shadow root with every consent purpose unticked', async () => {
  const { page, context } = await open(env);
  await rendered(page).locator('form').waitFor();
  assert.equal(await rendered(page).evaluate((el) => el.shadowRoot?.mode), 'open');
  assert.equal(await page.evaluate(() => document.querySelectorAll('form').length), 1, 'only the site form is in the light DOM');
  for (const name of ['Monthly newsletter', 'Personalised advertising']) {
    assert.equal(await rendered(page).getByLabel(name).isChecked(), false, name);
  }
  assert.match(await rendered(page).locator('form').innerText(), /Legal basis: a contract with you/);
  assert.equal(await rendered(page).locator('input[name="company"]').getAttribute('maxlength'), '100', 'the notice\'s maxLength');
  await context.close();
});

test('a refused purpose removes the fields only it justifies, and the page shows all three outputs', async () => {
  const { page, context } = await open(env);
  const detail = await submitDemo(page);
  assert.deepEqual(detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'support' });
  assert.deepEqual(detail.manifest.find((m) => m.field === 'company'),
    { field: 'company', outcome: 'dropped', reason: 'no-purpose-granted' });
  assert.equal(receiptPayload(detail.receipt).consentCapture.decisions.find((d) => d.purpose === 'newsletter').decision, 'denied');
  assert.equal(receiptPayload(detail.receipt).version, 'KI-CR-v1.1.0');
  assert.doesNotMatch(JSON.stringify(receiptPayload(detail.receipt)), /Ada|ada@example|Analytical/, 'no personal value in the receipt');
  assert.match(await page.locator('#payload').innerText(), /"email": "ada@example.com"/);
  assert.doesNotMatch(await page.locator('#payload').innerText(), /Analytical/);
  assert.match(await page.locator('#manifest').innerText(), /no-purpose-granted/);
  assert.equal(await page.locator('#receipt').innerText(), detail.receipt);
  assert.match(await page.locator('#receipt-json').innerText(), /"version": "KI-CR-v1.1.0"/);
  await context.close();
});

test('accept all grants every purpose and lets their fields through', async () => {
  const { page, context } = await open(env);
  const detail = await submitDemo(page, 'Accept all');
  assert.equal(detail.payload.company, 'Analytical Engines Ltd');
  assert.deepEqual(receiptPayload(detail.receipt).consentCapture.decisions.map((d) => d.decision), ['not-asked', 'granted', 'granted']);
  await context.close();
});

test('reject all is as easy as accept all: same size, one click', async () => {
  const { page, context } = await open(env);
  await rendered(page).locator('form').waitFor();
  const box = (name) => rendered(page).getByRole('button', { name }).boundingBox();
  const [accept, reject] = [await box('Accept all'), await box('Reject all')];
  assert.deepEqual([accept.width, accept.height], [reject.width, reject.height]);
  const detail = await submitDemo(page, 'Reject all');
  assert.deepEqual(receiptPayload(detail.receipt).consentCapture.decisions.map((d) => d.decision), ['not-asked', 'denied', 'denied']);
  await context.close();
});

test('every choice fires consent-capture:change, and events bubble out of the shadow root', async () => {
  const { page, context } = await open(env);
  await rendered(page).getByLabel('Monthly newsletter').check();
  const change = await nextEvent(page, 'change');
  assert.deepEqual(change, { kind: 'change', target: 'rendered', detail: { purpose: 'newsletter', granted: true } });
  await page.evaluate(() => {
    document.body.addEventListener('consent-capture:submit', (e) => { window.__seen = { bubbles: e.bubbles, composed: e.composed }; });
  });
  await submitDemo(page);
  assert.deepEqual(await page.evaluate(() => window.__seen), { bubbles: true, composed: true });
  await context.close();
});

test('a field with a wrong value is explained beside it and nothing is submitted', async () => {
  const { page, context } = await open(env);
  await fillDemoFields(rendered(page));
  await rendered(page).getByLabel('E-mail address').fill('ada at example');
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  const email = rendered(page).getByLabel('E-mail address');
  await page.waitForFunction(() => document.querySelector('#rendered').shadowRoot.querySelector('[role=alert]').textContent !== '');
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.match(await rendered(page).locator('#cc-field-1-error').innerText(), /e-mail address such as/);
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.kind === 'submit').length), 0);
  await context.close();
});

test('a hashed phone number without a country asks for its country code, and leaves as the platform matches it once the form gives one', async () => {
  // Meta's rule, no country of the notice's own (EU is not one), and a country select that phoneCountryField names.
  const notice = structuredClone(DEMO_NOTICE);
  notice.jurisdiction = 'EU';
  notice.phoneCountryField = 'country';
  const phoneAt = notice.fields.findIndex((f) => f.name === 'phone');
  notice.fields[phoneAt].transform = 'sha256:phone:meta';
  const label = (en) => ({ en, de: en, ar: en });
  notice.fields.splice(phoneAt, 0, {
    name: 'country', type: 'select', purposes: ['ads'], label: label('Country'),
    options: [{ value: 'GB', label: label('United Kingdom') }, { value: 'DE', label: label('Germany') }],
  });
  const routes = { '/phone.html': { body: testPage('<consent-capture id="inline" lang="en"></consent-capture>') } };
  const { page, context } = await open(env, '/phone.html', { routes });
  await page.evaluate((n) => { document.getElementById('inline').notice = n; }, notice);
  const form = page.locator('#inline');
  await form.locator('form').waitFor();
  await fillDemoFields(form);
  const phone = form.getByLabel('Phone (only its hash is shared, for ads)');
  await phone.fill('020 7946 0958');
  await form.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => document.querySelector('#inline').shadowRoot.querySelector('[role=alert]').textContent !== '');
  assert.equal(await phone.getAttribute('aria-invalid'), 'true');
  const error = await phone.getAttribute('aria-describedby');
  assert.match(await form.locator(`[id="${error.split(' ')[0]}"]`).innerText(), /add your country code/);
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.kind === 'submit').length), 0, 'nothing sent, nothing guessed');
  // The country the form gives completes the number: +44, its national 0 dropped, hashed as Meta matches it.
  await form.getByLabel('Country').selectOption('GB');
  await form.getByRole('button', { name: 'Accept all' }).click();
  const detail = (await nextEvent(page, 'submit')).detail;
  const expected = createHash('sha256').update('442079460958').digest('hex');
  assert.equal(detail.payload.phone, expected);
  const entry = receiptPayload(detail.receipt).consentCapture.manifest.find((m) => m.field === 'phone');
  assert.deepEqual(entry, { field: 'phone', outcome: 'transformed', rule: 'sha256:phone:meta', ruleVersion: '2026-12' });
  await context.close();
});

test('a field sent as typed to an ad platform says so after its label, and leaves only as its purpose allows', async () => {
  const notice = structuredClone(DEMO_NOTICE);
  notice.fields.find((f) => f.name === 'company').sentAsTypedTo = ['linkedin'];
  const routes = { '/clear.html': { body: testPage('<consent-capture id="inline" lang="en"></consent-capture>') } };
  const { page, context } = await open(env, '/clear.html', { routes });
  await page.evaluate((n) => { document.getElementById('inline').notice = n; }, notice);
  const form = page.locator('#inline');
  await form.locator('form').waitFor();
  const company = form.getByLabel('Company (Shared with LinkedIn)');
  await company.waitFor();
  await fillDemoFields(form);
  await company.fill('Analytical Engines');
  // Its purpose (the newsletter) refused: it does not leave, whatever the label says of where it would go.
  await form.getByRole('button', { name: 'Reject all' }).click();
  const detail = (await nextEvent(page, 'submit')).detail;
  assert.equal(detail.payload.company, undefined);
  await context.close();
});

test('a notice given as an object renders like one fetched from a URL', async () => {
  const routes = { '/object.html': { body: testPage('<consent-capture id="inline"></consent-capture>') } };
  const { page, context } = await open(env, '/object.html', { routes });
  await page.evaluate((notice) => { document.getElementById('inline').notice = notice; }, DEMO_NOTICE);
  await page.locator('#inline form').waitFor();
  assert.equal(await page.locator('#inline').getByLabel('Monthly newsletter').isChecked(), false);
  await context.close();
});

test('a broken notice shows visitors one sentence instead of a form, and tells the site what is wrong', async () => {
  const routes = {
    '/broken.html': { body: testPage('<consent-capture id="broken" notice="/broken.json"></consent-capture>') },
    '/broken.json': { body: '{"revision": "1", "languages": ["en"]}', type: 'application/json' },
  };
  const { page, context, errors } = await open(env, '/broken.html', { routes });
  const problem = await unavailable(page, 'broken');
  assert.match(problem, /jurisdiction: is required/);
  assert.match(problem, /purposes: is required/);
  assert.match(problem, /controller: is required/);
  // Where and what only (every page carries this code); the command line says what was found at each.
  assert.match(problem, /consent-capture check NOTICE\.json says what was found/);
  assert.ok(errors.some((text) => text.startsWith('consent-capture: ') && text.includes('jurisdiction: is required')), 'the console says it too');
  assert.equal(await page.locator('#broken form').count(), 0);
  await context.close();
});

test('a notice that cannot be fetched is reported to the site, and the visitor reads the page\'s own words', async () => {
  // The page's sentence, in its language, reaches the visitor as text: markup in it stays characters.
  const words = 'Dieses Formular kann gerade nicht angezeigt werden. <img src=x onerror="window.__ran=1">';
  const element = `<consent-capture id="missing" notice="/nowhere.json" unavailable='${words}'></consent-capture>`;
  const routes = { '/missing.html': { body: testPage(element) } };
  const { page, context } = await open(env, '/missing.html', { routes });
  assert.match(await unavailable(page, 'missing', words), /HTTP 404/);
  assert.equal(await page.locator('#missing img').count(), 0);
  assert.equal(await page.evaluate(() => window.__ran), undefined);
  await context.close();
});

test('the demo shows live what each CRM would receive (shaped by the destination module), following the choices', async () => {
  const { page, context } = await open(env);
  const element = page.locator('#rendered');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  await element.getByLabel(/Phone/).fill('020 7946 0000');
  const live = (crm) => page.locator(`#live-${crm}`).innerText();
  assert.doesNotMatch(await live('json'), /Analytical/, 'the newsletter is not ticked yet');
  await element.getByLabel('Monthly newsletter').check();
  assert.match(await live('json'), /"company": "Analytical Engines Ltd"/);
  assert.match(await live('salesforce'), /&company=Analytical\+Engines\+Ltd/);
  await element.getByLabel('Personalised advertising').check();
  assert.match(await live('hubspot'), /"name": "phone",\n\s+"objectTypeId": "0-1",\n\s+"value": "[0-9a-f]{64}"/, 'the phone as its hash');
  assert.doesNotMatch(await live('hubspot'), /7946/);
  await element.getByLabel('Monthly newsletter').uncheck();
  assert.doesNotMatch(await live('json'), /Analytical/);
  assert.match(await page.locator('#live-manifest').innerText(), /company: dropped \(no-purpose-granted\)/);
  assert.equal((await page.evaluate(() => window.__events.filter((e) => e.kind === 'submit'))).length, 0, 'nothing sent');
  await context.close();
});

test('a refused Accept all (a field to fix) leaves every choice as it was, and the next Send does not grant', async () => {
  const { page, context } = await open(env);
  const form = page.locator('#rendered');
  await form.getByRole('button', { name: 'Accept all' }).click();
  await form.getByRole('alert').filter({ hasText: 'Nothing was sent' }).waitFor();
  for (const purpose of ['Monthly newsletter', 'Personalised advertising']) {
    assert.equal(await form.getByLabel(purpose).isChecked(), false, `${purpose} stays unticked`);
  }
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.kind === 'change')), [], 'no change event');
  await form.getByRole('button', { name: 'Reject all' }).click();
  await fillDemoFields(form);
  await form.getByRole('button', { name: 'Send with my choices' }).click();
  const { detail } = await nextEvent(page, 'submit');
  const decisions = receiptPayload(detail.receipt).consentCapture.decisions.map((d) => d.decision);
  assert.deepEqual(decisions, ['not-asked', 'denied', 'denied'], 'nothing granted that the person did not choose');
  await context.close();
});
