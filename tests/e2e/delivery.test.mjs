// Submission to the site's endpoint: nothing before the person submits; then one request per receipt with the
// receipt id as Idempotency-Key, kept in the outbox through failures (5xx, dropped connections, offline, a
// closed tab) and sent exactly once by key; 4xx shown and not retried; only consented fields in any body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../tools/serve.mjs';
import { crmServer } from './crm.mjs';
import { fillDemoFields, nextEvent, open, receiptPayload, start, testPage, unavailable } from './browser.mjs';

let env;
let crm;
let site;

const crmOrigin = () => `http://127.0.0.1:${crm.server.address().port}`;
const siteUrl = (path) => `http://127.0.0.1:${site.address().port}${path}`;
const accepted = (key) => crm.state.requests.filter((r) => r.key === key && r.answer === 200);

before(async () => {
  env = await start();
  crm = crmServer();
  await new Promise((done) => crm.server.listen(0, '127.0.0.1', done));
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${crmOrigin()}; object-src 'none'; base-uri 'none'`;
  const page = (adapter) => ({
    csp,
    body: testPage(`<consent-capture id="crm" notice="/demo/notice.json" lang="en" endpoint="${crmOrigin()}/${adapter}" adapter="${adapter}"></consent-capture>`),
  });
  site = await serve({ pages: { '/json.html': page('json'), '/hubspot.html': page('hubspot'), '/salesforce.html': page('salesforce'),
    '/segment.html': page('segment'), '/brevo.html': page('brevo'), '/mailchimp-form.html': page('mailchimp-form'),
    '/zoho.html': page('zoho'), '/activecampaign.html': page('activecampaign'), '/pardot.html': page('pardot') } });
});
after(async () => {
  await env.stop();
  await new Promise((done) => site.close(done));
  crm.server.closeAllConnections();
  await new Promise((done) => crm.server.close(done));
});

async function submit(page, button = 'Reject all') {
  const element = page.locator('#crm');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  await element.getByRole('button', { name: button }).click();
  return (await nextEvent(page, 'submit')).detail;
}

async function deliveryState(page, receiptId, state) {
  await page.waitForFunction(([id, s]) => window.__events.some((e) => e.kind === 'delivery' && e.detail.receiptId === id && e.detail.state === s),
    [receiptId, state], { timeout: 20_000 });
}

const shown = (page) => page.locator('#crm').locator('[part="delivery"]').innerText();

test('loading the element sends nothing; a submission sends one request keyed by its receipt, with consented fields only', async () => {
  crm.state.requests.length = 0;
  const { page, context } = await open(env, siteUrl('/json.html'));
  await page.locator('#crm form').waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  assert.deepEqual(crm.state.requests, [], 'no request of any kind because the element loaded');
  const detail = await submit(page);
  await deliveryState(page, detail.receiptId, 'sent');
  assert.equal(crm.state.requests.length, 1);
  const [request] = crm.state.requests;
  assert.equal(request.key, detail.receiptId, 'Idempotency-Key is the receipt id');
  assert.match(request.type, /^application\/json/);
  const body = JSON.parse(request.body);
  assert.deepEqual(Object.keys(body.fields).sort(), ['email', 'name', 'topic'], 'company rests on the refused newsletter');
  assert.equal(body.receipt, detail.receipt);
  assert.equal(receiptPayload(body.receipt).consentReceiptID, detail.receiptId);
  assert.equal(await shown(page), 'Your details were sent.');
  await context.close();
});

test('through 503s and a dropped connection, every submission arrives exactly once by key, shown as queued then sent', async () => {
  crm.state.requests.length = 0;
  crm.state.plan = [503, 'drop', 503];
  const { page, context } = await open(env, siteUrl('/json.html'));
  const detail = await submit(page, 'Accept all');
  await deliveryState(page, detail.receiptId, 'queued');
  assert.equal(await shown(page), 'Not sent yet: the site cannot be reached or is busy right now. Your details are kept on this device and will be sent automatically.');
  await deliveryState(page, detail.receiptId, 'sent');
  // A second receipt: withdrawing the newsletter reaches the JSON endpoint as its receipt alone.
  await page.locator('#crm').getByRole('button', { name: /Withdraw: Monthly newsletter/ }).click();
  const withdrawal = (await nextEvent(page, 'submit', 2)).detail;
  await deliveryState(page, withdrawal.receiptId, 'sent');
  await page.waitForTimeout(2500); // a stray retry would have come by now
  const keys = [...new Set(crm.state.requests.map((r) => r.key))].sort();
  assert.deepEqual(keys, [detail.receiptId, withdrawal.receiptId].sort());
  assert.equal(accepted(detail.receiptId).length, 1, 'accepted once');
  assert.equal(accepted(withdrawal.receiptId).length, 1, 'accepted once');
  const attempts = crm.state.requests.filter((r) => r.key === detail.receiptId);
  assert.equal(attempts.length, 4, 'three failures, then success');
  assert.ok(attempts.every((r) => r.body === attempts[0].body), 'every attempt sends the same body');
  assert.deepEqual(JSON.parse(accepted(withdrawal.receiptId)[0].body).fields, {});
  await context.close();
});

test('a 4xx answer is shown to the person and not retried', async () => {
  crm.state.requests.length = 0;
  crm.state.plan = [422];
  const { page, context } = await open(env, siteUrl('/json.html'));
  const detail = await submit(page);
  await deliveryState(page, detail.receiptId, 'failed');
  assert.equal(await shown(page), 'The site could not accept your details, so they were not sent.');
  const failed = await page.evaluate(() => window.__events.find((e) => e.kind === 'delivery' && e.detail.state === 'failed').detail);
  assert.equal(failed.status, 422);
  await page.waitForTimeout(3000);
  assert.equal(crm.state.requests.length, 1, 'not retried');
  await context.close();
});

test('offline at submission: kept on the device, sent when the connection comes back, or on the next page load', async () => {
  crm.state.requests.length = 0;
  const { page, context } = await open(env, siteUrl('/json.html'));
  await page.locator('#crm form').waitFor();
  await context.setOffline(true);
  const first = await submit(page);
  await deliveryState(page, first.receiptId, 'queued');
  await context.setOffline(false);
  await deliveryState(page, first.receiptId, 'sent');
  assert.equal(accepted(first.receiptId).length, 1);

  // Offline again, and the tab closes before the connection returns: the next visit sends it.
  await page.close();
  const second = await open(env, siteUrl('/json.html'), { context });
  await second.page.locator('#crm form').waitFor();
  await context.setOffline(true);
  const again = await submit(second.page);
  await deliveryState(second.page, again.receiptId, 'queued');
  await second.page.close();
  await context.setOffline(false);
  assert.equal(accepted(again.receiptId).length, 0);
  const third = await open(env, siteUrl('/json.html'), { context });
  await third.page.locator('#crm form').waitFor();
  const deadline = Date.now() + 10_000;
  while (accepted(again.receiptId).length === 0 && Date.now() < deadline) await third.page.waitForTimeout(100);
  assert.equal(accepted(again.receiptId).length, 1, 'sent on the next page load');
  await deliveryState(third.page, again.receiptId, 'sent'); // told to the document: no element watches it
  await third.page.waitForTimeout(1000);
  assert.equal(accepted(again.receiptId).length, 1, 'once');
  assert.equal(accepted(first.receiptId).length, 1, 'and the first one not again');
  await context.close();
});

test('HubSpot gets its Forms API body; Salesforce its Web-to-Lead form, with the receipt id in the lead', async () => {
  crm.state.requests.length = 0;
  const hub = await open(env, siteUrl('/hubspot.html'));
  const hubDetail = await submit(hub.page, 'Accept all');
  await deliveryState(hub.page, hubDetail.receiptId, 'sent');
  const hubRequest = crm.state.requests.find((r) => r.path === '/hubspot');
  const body = JSON.parse(hubRequest.body);
  assert.equal(hubRequest.key, hubDetail.receiptId);
  assert.deepEqual(body.fields.map((f) => f.name), ['firstname', 'email', 'company', 'topic']);
  assert.ok(body.fields.every((f) => f.objectTypeId === '0-1'));
  assert.equal(body.context.pageUri, siteUrl('/hubspot.html'));
  assert.deepEqual(body.legalConsentOptions.consent.communications, [{ subscriptionTypeId: 12345678, text: 'Monthly newsletter', value: true }]);
  assert.match(body.legalConsentOptions.consent.text, new RegExp(`Consent receipt ${hubDetail.receiptId} for notice sha256:`));
  await hub.context.close();

  const sf = await open(env, siteUrl('/salesforce.html'));
  const sfDetail = await submit(sf.page);
  await deliveryState(sf.page, sfDetail.receiptId, 'sent');
  const sfRequest = crm.state.requests.find((r) => r.path === '/salesforce');
  assert.equal(sfRequest.key, null, 'no custom header in a no-cors request: the id travels in the body');
  assert.match(sfRequest.type, /^application\/x-www-form-urlencoded/);
  const form = new URLSearchParams(sfRequest.body);
  assert.equal(form.get('oid'), '00D000000000001');
  assert.equal(form.get('last_name'), 'Ada Lovelace');
  assert.equal(form.get('00N000000000001'), sfDetail.receiptId);
  assert.equal(form.get('company'), null, 'refused newsletter: no company');
  await sf.context.close();
});

test('any CRM by a description: a shipped one by name, a site\'s own as a property, and one that needs a secret refused; each receipt names its destination', async () => {
  crm.state.requests.length = 0;
  const segment = await open(env, siteUrl('/segment.html'));
  const segmentDetail = await submit(segment.page, 'Accept all');
  await deliveryState(segment.page, segmentDetail.receiptId, 'sent');
  const identify = crm.state.requests.find((r) => r.path === '/segment');
  const body = JSON.parse(identify.body);
  assert.equal(body.userId, receiptPayload(segmentDetail.receipt).piiPrincipalId, 'the person as the receipt names them');
  assert.equal(body.messageId, segmentDetail.receiptId);
  assert.deepEqual(body.context.consent.categoryPreferences, { Newsletter: true, Advertising: true });
  assert.equal(body.traits.company, 'Analytical Engines Ltd');
  assert.deepEqual(segmentDetail.request.url, `${crmOrigin()}/segment`, 'the submit event carries the request');
  const segmentSigned = receiptPayload(segmentDetail.receipt).consentCapture;
  assert.equal(segmentSigned.endpoint, `${crmOrigin()}/segment`);
  assert.match(segmentSigned.destinationSha256, /^[A-Za-z0-9_-]{43}$/);
  // Its withdrawal goes too: Segment names the person by userId, not by a field.
  await segment.page.locator('#crm').getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = await nextEvent(segment.page, 'submit', 2);
  assert.equal(withdrawal.detail.withdrawal, true);
  await deliveryState(segment.page, withdrawal.detail.receiptId, 'sent');
  const withdrawn = JSON.parse(crm.state.requests.filter((r) => r.path === '/segment').at(-1).body);
  assert.deepEqual(withdrawn.traits, {}, 'a withdrawal carries no data');
  assert.equal(withdrawn.context.consent.categoryPreferences.Newsletter, false);
  await segment.context.close();

  // A site's own description, set as the element's property: no code, and its method and header as described.
  const own = await open(env, siteUrl('/json.html'));
  await own.page.locator('#crm form').waitFor();
  await own.page.evaluate(() => {
    document.getElementById('crm').destination = {
      name: 'own', runs: 'browser', deduplication: 'the receipt id',
      submit: { method: 'PUT', url: '{endpoint}', encoding: 'json', headers: { 'X-List': 'newsletter-list' },
        body: { who: { $field: 'email' }, optIn: { $decision: 'newsletter', granted: true, denied: false }, receipt: { $evidence: 'receiptId' } } },
      withdrawal: { refuse: 'by hand' }, erasure: { refuse: 'by hand' },
    };
  });
  const ownDetail = await submit(own.page);
  await deliveryState(own.page, ownDetail.receiptId, 'sent');
  const put = crm.state.requests.find((r) => r.key === ownDetail.receiptId);
  assert.equal(put.method, 'PUT');
  assert.equal(put.list, 'newsletter-list');
  assert.deepEqual(JSON.parse(put.body), { who: 'ada@example.com', optIn: false, receipt: ownDetail.receiptId });
  const ownSha = receiptPayload(ownDetail.receipt).consentCapture.destinationSha256;
  assert.notEqual(ownSha, segmentSigned.destinationSha256, 'each receipt names the description that shaped what it sent');
  await own.context.close();

  // Brevo needs an API key no page may hold: the form is not shown, and the site's developers are told why.
  const brevo = await open(env, siteUrl('/brevo.html'));
  assert.match(await unavailable(brevo.page, 'crm'), /needs a secret: send through the receiver/);
  await brevo.context.close();
  assert.equal(crm.state.requests.filter((r) => r.path === '/brevo').length, 0);
});

test('the form posts a page may make without reading the answer (Mailchimp, Zoho, ActiveCampaign, Pardot) arrive as each documents', async () => {
  // Each CRM's own form field names, with the consent where it documents it and the receipt id where it keeps one.
  const expected = {
    'mailchimp-form': (form, id) => {
      assert.equal(form.get('EMAIL'), 'ada@example.com');
      assert.equal(form.get('FNAME'), 'Ada Lovelace');
      assert.equal(form.get('gdpr[13]'), 'Y', 'the marketing permission, ticked');
      assert.equal(form.get('topic'), null, 'only the fields the settings map');
      assert.ok(id);
    },
    zoho: (form, id) => {
      assert.equal(form.get('xnQsjsdp'), '0e8f1b2c3d4e5f60');
      assert.equal(form.get('actionType'), 'TGVhZHM=');
      assert.equal(form.get('Last Name'), 'Ada Lovelace');
      assert.equal(form.get('Email'), 'ada@example.com');
      assert.equal(form.get('LEADCF1'), 'true', 'the newsletter consent');
      assert.equal(form.get('LEADCF2'), id, 'the receipt id on the lead');
    },
    activecampaign: (form, id) => {
      assert.equal(form.get('u'), '5');
      assert.equal(form.get('act'), 'sub');
      assert.equal(form.get('email'), 'ada@example.com');
      assert.equal(form.get('fullname'), 'Ada Lovelace');
      assert.deepEqual(form.getAll('nlbox[]'), ['3']);
      assert.equal(form.get('or'), id);
    },
    pardot: (form, id) => {
      assert.equal(form.get('last_name'), 'Ada Lovelace');
      assert.equal(form.get('email'), 'ada@example.com');
      assert.equal(form.get('newsletter_opt_in'), 'true');
      assert.equal(form.get('consent_receipt'), id);
    },
  };
  for (const [name, check] of Object.entries(expected)) {
    crm.state.requests.length = 0;
    const { page, context } = await open(env, siteUrl(`/${name}.html`));
    const detail = await submit(page, 'Accept all');
    await deliveryState(page, detail.receiptId, 'sent');
    const posted = crm.state.requests.find((r) => r.path === `/${name}`);
    assert.ok(posted, `${name}: posted`);
    assert.equal(posted.key, null, `${name}: no custom header in a no-cors request`);
    assert.match(posted.type, /^application\/x-www-form-urlencoded/, name);
    check(new URLSearchParams(posted.body), detail.receiptId);
    assert.equal(receiptPayload(detail.receipt).consentCapture.endpoint, `${crmOrigin()}/${name}`);
    await context.close();
  }
});

/** The receipt ids the CRM accepted, in the order they arrived. */
const acceptedOrder = () => crm.state.requests.filter((r) => r.answer === 200).map((r) => r.key);

test('queued while offline, a consent and its withdrawals arrive in the order they were made', async () => {
  crm.state.requests.length = 0;
  const { page, context } = await open(env, siteUrl('/json.html'));
  await page.locator('#crm form').waitFor();
  await context.setOffline(true);
  const consent = await submit(page, 'Accept all');
  const made = [consent.receiptId];
  for (const [count, purpose] of [[2, 'Monthly newsletter'], [3, 'Personalised advertising']]) {
    await page.locator('#crm').getByRole('button', { name: `Withdraw: ${purpose}` }).click();
    made.push((await nextEvent(page, 'submit', count)).detail.receiptId);
  }
  for (const id of made) await deliveryState(page, id, 'queued');
  assert.equal(crm.state.requests.length, 0);
  await context.setOffline(false);
  for (const id of made) await deliveryState(page, id, 'sent');
  assert.deepEqual(acceptedOrder(), made, 'submission order, never a withdrawal before its consent');
  await context.close();
});

test('two tabs of one browser deliver an entry exactly once, even without an Idempotency-Key (Salesforce)', async () => {
  crm.state.requests.length = 0;
  crm.state.plan = ['slow'];
  const first = await open(env, siteUrl('/salesforce.html'));
  const detail = await submit(first.page);
  const deadline = Date.now() + 10_000;
  while (crm.state.requests.length === 0 && Date.now() < deadline) await first.page.waitForTimeout(50);
  // While the first tab waits for the slow answer, a second tab of the same browser loads and flushes.
  const second = await open(env, siteUrl('/salesforce.html'), { context: first.context });
  await second.page.locator('#crm form').waitFor();
  await deliveryState(first.page, detail.receiptId, 'sent');
  await second.page.waitForTimeout(3000);
  const leads = crm.state.requests.filter((r) => new URLSearchParams(r.body).get('00N000000000001') === detail.receiptId);
  assert.equal(leads.length, 1, 'one lead');
  await first.context.close();
});

test('an endpoint that never allows this origin (no CORS) is given up on as failed, and the entry is erased', async () => {
  crm.state.requests.length = 0;
  crm.state.cors = false;
  try {
    const { page, context } = await open(env, siteUrl('/json.html'));
    const detail = await submit(page);
    await deliveryState(page, detail.receiptId, 'failed');
    const failed = await page.evaluate((id) => window.__events.find((e) => e.kind === 'delivery' && e.detail.receiptId === id && e.detail.state === 'failed').detail, detail.receiptId);
    assert.equal(failed.reason, 'no-cors');
    assert.equal(await shown(page), 'The site could not accept your details, so they were not sent.');
    assert.deepEqual(await outboxKeys(page), [], 'nothing of the person is kept for a delivery that cannot happen');
    await context.close();
  } finally {
    crm.state.cors = true;
  }
});

/** The keys of the outbox store in the page's IndexedDB. */
function outboxKeys(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const opening = indexedDB.open('consent-capture');
    opening.onsuccess = () => {
      const request = opening.result.transaction('outbox').objectStore('outbox').getAllKeys();
      request.onsuccess = () => { opening.result.close(); resolve(request.result); };
      request.onerror = () => reject(request.error);
    };
    opening.onerror = () => reject(opening.error);
  }));
}

/** Puts `entry` into the outbox of the site's origin, as an earlier visit would have left it. */
async function leaveInOutbox(context, entry) {
  const page = await context.newPage();
  await page.goto(siteUrl('/json.html'));
  await page.locator('#crm form').waitFor();
  await page.evaluate((kept) => new Promise((resolve, reject) => {
    const opening = indexedDB.open('consent-capture');
    opening.onsuccess = () => {
      const transaction = opening.result.transaction('outbox', 'readwrite');
      transaction.objectStore('outbox').put(kept, kept.key);
      transaction.oncomplete = () => { opening.result.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
    opening.onerror = () => reject(opening.error);
  }), entry);
  await page.close();
}

test('an entry older than 30 days is given up on as expired and erased, never sent', async () => {
  crm.state.requests.length = 0;
  const context = await env.browser.newContext();
  const old = { key: 'expired-entry', url: `${crmOrigin()}/json`, contentType: 'application/json', body: '{}', opaque: false, at: Date.now() - 31 * 24 * 3600 * 1000 };
  await leaveInOutbox(context, old);
  const { page } = await open(env, siteUrl('/json.html'), { context });
  await deliveryState(page, 'expired-entry', 'failed');
  const failed = await page.evaluate(() => window.__events.find((e) => e.kind === 'delivery' && e.detail.receiptId === 'expired-entry').detail);
  assert.equal(failed.reason, 'expired');
  assert.deepEqual(await outboxKeys(page), []);
  assert.equal(crm.state.requests.filter((r) => r.key === 'expired-entry').length, 0);
  await context.close();
});

test('a body over the 64 KiB keepalive limit is still delivered (without keepalive), not retried for ever', async () => {
  crm.state.requests.length = 0;
  const context = await env.browser.newContext();
  const body = JSON.stringify({ receipt: 'x', fields: { message: 'm'.repeat(70_000) } });
  await leaveInOutbox(context, { key: 'large-entry', url: `${crmOrigin()}/json`, contentType: 'application/json', body, opaque: false, at: Date.now() });
  const { page } = await open(env, siteUrl('/json.html'), { context });
  await deliveryState(page, 'large-entry', 'sent');
  assert.equal(accepted('large-entry').length, 1);
  assert.equal(accepted('large-entry')[0].body.length, body.length);
  await context.close();
});

test('a withdrawal the endpoint refuses is not shown as done: the grant comes back with its Withdraw button, saying it was not sent', async () => {
  crm.state.requests.length = 0;
  crm.state.plan = [200, 422];
  const { page, context } = await open(env, siteUrl('/json.html'));
  const element = page.locator('#crm');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  await element.getByLabel('Monthly newsletter').check();
  await element.getByRole('button', { name: 'Send with my choices' }).click();
  const first = (await nextEvent(page, 'submit')).detail;
  await deliveryState(page, first.receiptId, 'sent');
  await element.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = (await nextEvent(page, 'submit', 2)).detail;
  await deliveryState(page, withdrawal.receiptId, 'failed');
  const panel = element.getByRole('region', { name: 'Your consent receipt' });
  const withdraw = panel.getByRole('button', { name: 'Withdraw: Monthly newsletter' });
  await withdraw.waitFor();
  const text = await panel.innerText();
  assert.doesNotMatch(text, /Withdrawn on/);
  assert.match(text, /You agreed to\s+Monthly newsletter/);
  assert.match(text, /The site could not accept your details, so they were not sent\./, 'what happened');
  assert.match(text, /or by writing to privacy@example\.com/, 'what the person can do');
  assert.equal(await element.getByLabel('Monthly newsletter').isChecked(), true, 'the form shows the grant the site holds');
  // A later visit shows what the site holds too; withdrawing again chains to that grant, and is sent.
  await page.reload();
  await withdraw.waitFor();
  assert.doesNotMatch(await panel.innerText(), /Withdrawn on/);
  await withdraw.click();
  const again = (await nextEvent(page, 'submit')).detail;
  assert.equal(again.previousReceiptId, first.receiptId);
  await deliveryState(page, again.receiptId, 'sent');
  await context.close();
});
