// consent-capture/testing and the testing guide (docs/qa.md): the helper fills, chooses, submits and checks a
// receipt in render and enhance mode, says why when it cannot, and the testing guide's Playwright block runs as
// written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, guideBlock, start } from './browser.mjs';

let env;

before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const submit = (page, target, options) => page.evaluate(async ([target, options]) => {
  const { submitConsent } = await import('/dist/testing.js');
  try {
    return await submitConsent(target, options);
  } catch (error) {
    return { error: String(error.message) };
  }
}, [target, options]);

test('the testing guide\'s Playwright block runs as written', async () => {
  const block = guideBlock('With Playwright');
  const { page, context } = await open(env);
  const AsyncFunction = (async () => {}).constructor;
  await new AsyncFunction('page', 'assert', block)(page, assert);
  await context.close();
});

test('the helper submits in render and enhance mode, leaves refused data out, and says why when it cannot', async () => {
  const { page, context } = await open(env);
  const refused = await submit(page, '#rendered', {
    fields: { name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd', topic: 'support' },
    choices: { newsletter: false },
  });
  assert.equal(refused.valid, true, refused.reason);
  assert.equal(refused.manifest.find((entry) => entry.field === 'company').outcome, 'dropped');
  assert.match(refused.receipt, /^[\w-]+\.[\w-]+\.[\w-]+$/);

  await page.reload();
  const enhanced = await submit(page, '#enhanced', {
    fields: { name: 'Grace Hopper', email: 'grace@example.com', topic: 'sales' },
    action: 'reject-all',
  });
  assert.equal(enhanced.valid, true, enhanced.reason);
  assert.ok(enhanced.claims.consentCapture.decisions.filter((d) => d.legalBasis === 'consent').every((d) => d.decision === 'denied'));
  assert.deepEqual(enhanced.manifest.find((entry) => entry.field === 'referrer'),
    { field: 'referrer', outcome: 'dropped', reason: 'undeclared' }, 'the site\'s hidden field the notice lacks');

  await page.reload();
  const unknown = await submit(page, '#rendered', { fields: { shoe_size: '42' } });
  assert.match(unknown.error, /no field named shoe_size/);
  const purpose = await submit(page, '#rendered', { choices: { lottery: true } });
  assert.match(purpose.error, /no choice for the purpose lottery/);
  const invalid = await submit(page, '#rendered', { fields: { email: 'not an address' }, timeout: 1500 });
  assert.match(invalid.error, /nothing was submitted within 1500 ms: .+/);
  await context.close();
});
