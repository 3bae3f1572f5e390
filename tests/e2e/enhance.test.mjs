// Enhance mode: consent-capture adds the purpose choices to a site's own form, before its submit button,
// and from then on the form's data goes through minimisation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextEvent, open, start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const site = (page) => page.locator('#signup');

async function fillSite(page) {
  await site(page).getByLabel('Your name').fill('Ada Lovelace');
  await site(page).getByLabel('E-mail address').fill('ada@example.com');
  await site(page).getByLabel('Company').fill('Analytical Engines Ltd');
  await site(page).getByLabel('Topic').selectOption('sales');
}

test('the purpose choices are inserted into the site form, just before its submit button', async () => {
  const { page, context } = await open(env);
  await site(page).getByLabel('Monthly newsletter').waitFor();
  const order = await page.evaluate(() => {
    const slot = document.querySelector('#signup .consent-capture-choices');
    return { next: slot.nextElementSibling.textContent, shadow: slot.shadowRoot?.mode };
  });
  assert.deepEqual(order, { next: 'Sign up', shadow: 'open' });
  assert.equal(await site(page).getByLabel('Personalised advertising').isChecked(), false);
  await context.close();
});

test('submitting the site form goes through consent-capture: undeclared and unconsented fields stay behind', async () => {
  const { page, context } = await open(env);
  const before = page.url();
  await fillSite(page);
  await site(page).getByRole('button', { name: 'Sign up' }).click();
  const event = await nextEvent(page, 'submit');
  assert.equal(event.target, 'enhanced');
  assert.deepEqual(event.detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'sales' });
  const outcome = (field) => event.detail.manifest.find((m) => m.field === field);
  assert.deepEqual(outcome('referrer'), { field: 'referrer', outcome: 'dropped', reason: 'undeclared' });
  assert.deepEqual(outcome('company'), { field: 'company', outcome: 'dropped', reason: 'no-purpose-granted' });
  assert.doesNotMatch(JSON.stringify(event.detail), /newsletter-campaign-42/);
  assert.equal(page.url(), before, 'the site form did not navigate');
  await context.close();
});

test('accept all in enhance mode grants every purpose and submits the site form', async () => {
  const { page, context } = await open(env);
  await fillSite(page);
  await site(page).getByRole('button', { name: 'Accept all' }).click();
  const { detail } = await nextEvent(page, 'submit');
  assert.equal(detail.payload.company, 'Analytical Engines Ltd');
  await context.close();
});

test('the site is told once in the console which of its fields the notice does not declare', async () => {
  const { page, context, warnings } = await open(env);
  await site(page).getByLabel('Monthly newsletter').waitFor();
  await page.selectOption('#language', 'de');
  await site(page).getByLabel('Monatlicher Newsletter').waitFor();
  const undeclared = warnings.filter((w) => w.includes('does not declare'));
  assert.deepEqual(undeclared, ['consent-capture: the notice does not declare these fields of form#signup, so they are never sent: referrer']);
  await context.close();
});
