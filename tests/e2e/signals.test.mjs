// Signals from the browser and the page: language, Global Privacy Control, Google Consent Mode, and asking
// again when the notice changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_NOTICE, fillDemoFields, nextEvent, open, receiptPayload, start, testPage } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const page1 = (attributes = '') => ({
  '/one.html': { body: testPage(`<consent-capture id="one" notice="/demo/notice.json" ${attributes}></consent-capture>`) },
});

test('without a lang attribute the browser languages choose, and Arabic is right to left', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1(), contextOptions: { locale: 'ar-EG' } });
  await page.locator('#one form').waitFor();
  const root = await page.locator('#one').evaluate((el) => {
    const r = el.shadowRoot.querySelector('.cc-root');
    return [r.getAttribute('lang'), r.getAttribute('dir'), getComputedStyle(r).direction];
  });
  assert.deepEqual(root, ['ar', 'rtl', 'rtl']);
  await context.close();
});

test('the lang attribute wins, then the browser languages, then the notice default', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1('lang="de"'), contextOptions: { locale: 'ar' } });
  await page.locator('#one').getByRole('button', { name: 'Alle ablehnen' }).waitFor();
  await page.locator('#one').evaluate((el) => el.setAttribute('lang', 'pt-BR'));
  await page.locator('#one').getByRole('button', { name: 'رفض الكل' }).waitFor();
  await context.close();
  const french = await open(env, '/one.html', { routes: page1('lang="pt-BR"'), contextOptions: { locale: 'fr-FR' } });
  await french.page.locator('#one').getByRole('button', { name: 'Reject all' }).waitFor();
  await french.context.close();
});

const gpcOn = () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });

test('with Global Privacy Control, gpc purposes start off, the form says why, and an explicit tick still wins', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1('lang="en"'), init: gpcOn });
  const one = page.locator('#one');
  await one.locator('form').waitFor();
  assert.match(await one.locator('#cc-purpose-2-description').innerText(), /Global Privacy Control/);
  assert.doesNotMatch(await one.locator('#cc-purpose-1-description').innerText(), /Global Privacy Control/);
  await fillDemoFields(one);
  await one.getByRole('button', { name: 'Accept all' }).click();
  const accepted = receiptPayload((await nextEvent(page, 'submit')).detail.receipt).consentCapture.decisions;
  assert.deepEqual(accepted.map((d) => d.decision), ['not-asked', 'granted', 'denied']);
  // On the next visit, ticking it explicitly grants it, GPC or not.
  await page.reload();
  await one.locator('form').waitFor();
  await fillDemoFields(one);
  await one.getByLabel('Personalised advertising').check();
  await one.getByRole('button', { name: 'Send with my choices' }).click();
  const explicit = receiptPayload((await nextEvent(page, 'submit')).detail.receipt).consentCapture.decisions;
  assert.deepEqual(explicit.map((d) => d.decision), ['not-asked', 'granted', 'granted']);
  await context.close();
});

const stubGtag = () => {
  window.__gtag = [];
  window.gtag = function gtag() { window.__gtag.push([...arguments]); };
};

test('decisions are pushed to Google Consent Mode through gtag', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1('lang="en"'), init: stubGtag });
  const one = page.locator('#one');
  await fillDemoFields(one);
  await one.getByLabel('Personalised advertising').check();
  await one.getByRole('button', { name: 'Send with my choices' }).click();
  await nextEvent(page, 'submit');
  assert.deepEqual(await page.evaluate(() => window.__gtag), [
    ['consent', 'update', { ad_personalization: 'granted', ad_storage: 'granted', ad_user_data: 'granted' }],
  ]);
  await context.close();
});

test('with only a dataLayer, the update is pushed the way gtag would push it', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1('lang="en"'), init: () => { window.dataLayer = []; } });
  const one = page.locator('#one');
  await fillDemoFields(one);
  await one.getByRole('button', { name: 'Reject all' }).click();
  await nextEvent(page, 'submit');
  const pushed = await page.evaluate(() => window.dataLayer.map((entry) => [Object.prototype.toString.call(entry), [...entry]]));
  assert.deepEqual(pushed, [['[object Arguments]', ['consent', 'update', { ad_personalization: 'denied', ad_storage: 'denied', ad_user_data: 'denied' }]]]);
  await context.close();
});

test('choices come back on the next visit, and a new notice revision asks again', async () => {
  const revised = structuredClone(DEMO_NOTICE);
  revised.revision = '2027-01-01';
  const routes = { ...page1('lang="en"'), '/revised.html': { body: testPage('<consent-capture id="one" notice="/demo/notice.json" lang="en"></consent-capture>') } };
  const { page, context } = await open(env, '/one.html', { routes });
  const one = page.locator('#one');
  await fillDemoFields(one);
  await one.getByLabel('Monthly newsletter').check();
  await one.getByRole('button', { name: 'Send with my choices' }).click();
  await nextEvent(page, 'submit');
  await page.reload();
  await one.locator('form').waitFor();
  assert.equal(await one.getByLabel('Monthly newsletter').isChecked(), true, 'restored from the earlier choice');
  await page.route(`${env.origin}/demo/notice.json`, (r) => r.fulfill({ body: JSON.stringify(revised), contentType: 'application/json' }));
  await page.goto(`${env.origin}/revised.html`);
  await one.locator('form').waitFor();
  assert.equal(await one.getByLabel('Monthly newsletter').isChecked(), false);
  assert.match(await one.locator('[part=note]').innerText(), /changed since you last chose/);
  await context.close();
});

test('switching the language keeps what was typed and ticked', async () => {
  const { page, context } = await open(env, '/one.html', { routes: page1('lang="en"') });
  const one = page.locator('#one');
  await fillDemoFields(one);
  await one.getByLabel('Monthly newsletter').check();
  await page.locator('#one').evaluate((el) => el.setAttribute('lang', 'de'));
  await one.getByRole('button', { name: 'Alle ablehnen' }).waitFor();
  const typed = await one.evaluate((el) => ['name', 'email', 'company', 'topic'].map((name) => el.shadowRoot.querySelector(`[name="${name}"]`).value));
  assert.deepEqual(typed, ['Ada Lovelace', 'ada@example.com', 'Analytical Engines Ltd', 'support']);
  assert.equal(await one.getByLabel('Monatlicher Newsletter').isChecked(), true);
  assert.equal(await one.getByLabel('Personalisierte Werbung').isChecked(), false);
  await context.close();
});
