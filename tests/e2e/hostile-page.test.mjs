// What other scripts of the page and the origin's storage cannot make the element do: tick a purpose the person
// did not choose, trigger Consent Mode with a made-up event, or break the form with a field named after an
// Object.prototype member. And a withdrawal names the person as the consent it withdraws did.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_NOTICE, fillDemoFields, nextEvent, open, receiptPayload, start, testPage } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const routes = {
  '/one.html': { body: testPage('<consent-capture id="one" notice="/demo/notice.json" lang="en"></consent-capture>') },
  '/inline.html': { body: testPage('<consent-capture id="inline" lang="en"></consent-capture>') },
};
const STORAGE_KEY = (origin) => `consent-capture:${origin}/demo/notice.json`;

test('choices written into localStorage by any script are not shown as the person\'s own', async () => {
  const { page, context } = await open(env, '/one.html', {
    routes,
    init: () => localStorage.setItem(`consent-capture:${location.origin}/demo/notice.json`,
      JSON.stringify({ revision: '2026-11-22', granted: ['newsletter', 'ads'] })),
  });
  const one = page.locator('#one');
  await one.locator('form').waitFor();
  assert.equal(await one.getByLabel('Monthly newsletter').isChecked(), false);
  assert.equal(await one.getByLabel('Personalised advertising').isChecked(), false);
  await context.close();
});

test('a receipt planted in storage but signed by another key ticks nothing', async () => {
  // A receipt that grants the newsletter, signed in another browser profile (another device key).
  const other = await open(env, '/one.html', { routes });
  await fillDemoFields(other.page.locator('#one'));
  await other.page.locator('#one').getByLabel('Monthly newsletter').check();
  await other.page.locator('#one').getByRole('button', { name: 'Send with my choices' }).click();
  const foreign = (await nextEvent(other.page, 'submit')).detail.receipt;
  await other.context.close();

  const { page, context } = await open(env, '/one.html', { routes });
  const one = page.locator('#one');
  await one.locator('form').waitFor();
  await page.evaluate(([key, jws]) => new Promise((resolve, reject) => {
    const opening = indexedDB.open('consent-capture');
    opening.onsuccess = () => {
      const transaction = opening.result.transaction('receipts', 'readwrite');
      transaction.objectStore('receipts').put(jws, key);
      transaction.oncomplete = () => { opening.result.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
    opening.onerror = () => reject(opening.error);
  }), [STORAGE_KEY(env.origin), foreign]);
  await page.reload();
  await one.locator('form').waitFor();
  assert.equal(await one.getByLabel('Monthly newsletter').isChecked(), false, 'not this device\'s receipt');
  // (The device's own receipt does bring its choices back: signals.test.mjs, "choices come back".)
  await context.close();
});

test('a made-up consent-capture:submit event does not reach Google Consent Mode; a real submission does', async () => {
  const { page, context } = await open(env, '/one.html', {
    routes,
    init: () => { window.__gtag = []; window.gtag = function gtag() { window.__gtag.push([...arguments]); }; },
  });
  const one = page.locator('#one');
  await one.locator('form').waitFor();
  await page.evaluate(() => document.getElementById('one').dispatchEvent(new CustomEvent('consent-capture:submit',
    { bubbles: true, composed: true, detail: { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' } } })));
  assert.deepEqual(await page.evaluate(() => window.__gtag), [], 'events are not evidence');
  await fillDemoFields(one);
  await one.getByRole('button', { name: 'Reject all' }).click();
  await page.waitForFunction(() => window.__gtag.length > 0);
  assert.deepEqual(await page.evaluate(() => window.__gtag), [
    ['consent', 'update', { ad_personalization: 'denied', ad_storage: 'denied', ad_user_data: 'denied' }],
  ]);
  await context.close();
});

test('fields named constructor, toString and __proto__ are filled, checked and sent like any other', async () => {
  const notice = structuredClone(DEMO_NOTICE);
  for (const name of ['constructor', 'toString', '__proto__']) {
    notice.fields.push({ name, type: 'text', required: true, purposes: ['enquiry'], label: { en: `Field ${name}`, de: name, ar: name } });
  }
  const { page, context } = await open(env, '/inline.html', { routes });
  await page.evaluate((n) => { document.getElementById('inline').notice = n; }, notice);
  const inline = page.locator('#inline');
  await inline.locator('form').waitFor();
  await fillDemoFields(inline);
  for (const name of ['constructor', 'toString', '__proto__']) await inline.getByLabel(`Field ${name}`).fill(`value of ${name}`);
  await inline.getByRole('button', { name: 'Send with my choices' }).click();
  await nextEvent(page, 'submit');
  // Read in the page: carrying `__proto__` as a plain key back to Node is the harness's problem, not ours.
  const sent = await page.evaluate(() => {
    const { payload } = window.__events.find((e) => e.kind === 'submit').detail;
    return ['constructor', 'toString', '__proto__'].map((name) => Object.hasOwn(payload, name) && payload[name]);
  });
  assert.deepEqual(sent, ['value of constructor', 'value of toString', 'value of __proto__']);
  await context.close();
});

test('a withdrawal names the person as the consent it withdraws did (salted e-mail hash)', async () => {
  const notice = structuredClone(DEMO_NOTICE);
  notice.principal = { emailField: 'email', salt: 'a-salt-of-sixteen-chars' };
  const { page, context } = await open(env, '/inline.html', { routes });
  await page.evaluate((n) => { document.getElementById('inline').notice = n; }, notice);
  const inline = page.locator('#inline');
  await inline.locator('form').waitFor();
  await fillDemoFields(inline);
  await inline.getByLabel('Monthly newsletter').check();
  await inline.getByRole('button', { name: 'Send with my choices' }).click();
  const consent = receiptPayload((await nextEvent(page, 'submit')).detail.receipt);
  assert.match(consent.piiPrincipalId, /^sha256:/);
  await inline.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = receiptPayload((await nextEvent(page, 'submit', 2)).detail.receipt);
  assert.equal(withdrawal.piiPrincipalId, consent.piiPrincipalId);
  await context.close();
});
