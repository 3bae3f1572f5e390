// Every click means what it says: one person's action is one submission (one receipt, one request), a form
// already sent is sent again only by choice, a later visit can withdraw without typing anything, a withdrawal
// says so, and identifiers and dates stay readable in right-to-left languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fillDemoFields, nextEvent, open, receiptPayload, start, testPage, unavailable, viewerVerdict } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const RENDERED = '<consent-capture id="crm" notice="/demo/notice.json" lang="en" endpoint="/collect" adapter="json"></consent-capture>';
const ENHANCED = `<form id="site">
  <label for="n">Your name</label><input id="n" name="name" required>
  <label for="e">E-mail address</label><input id="e" name="email" type="email" required>
  <label for="t">Topic</label><select id="t" name="topic"><option value="sales">Buying widgets</option></select>
  <button type="submit">Sign up</button>
</form>
<consent-capture id="crm" notice="/demo/notice.json" for="site" lang="en" endpoint="/collect" adapter="json"></consent-capture>`;

/** A page on the demo origin whose `/collect` endpoint counts the POSTs it receives. */
async function withEndpoint(body, options = {}) {
  const opened = await open(env, '/page.html', { ...options, routes: { '/page.html': { body: testPage(body) } } });
  const posts = [];
  await opened.page.route(`${env.origin}/collect`, (route) => {
    if (route.request().method() === 'POST') posts.push(route.request().headers()['idempotency-key']);
    route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
  });
  return { ...opened, posts };
}

/** The rendered form on a page with a counting endpoint, waiting for it and filled in with the demo's details. */
async function filledForm() {
  const opened = await withEndpoint(RENDERED);
  const element = opened.page.locator('#crm');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  return { ...opened, element };
}

const submits = (page) => page.evaluate(() => window.__events.filter((e) => e.kind === 'submit').map((e) => e.detail));
const settle = (page) => page.waitForTimeout(700);

test('a double click on Send with my choices makes one submission: one receipt, one request', async () => {
  const { page, context, posts, element } = await filledForm();
  await element.getByRole('button', { name: 'Send with my choices' }).dblclick();
  await nextEvent(page, 'delivery');
  await settle(page);
  assert.equal((await submits(page)).length, 1, 'one receipt');
  assert.equal(posts.length, 1, 'one request to the CRM');
  await context.close();
});

test('a double click on Accept all, or on a Withdraw button, is one action too', async () => {
  const { page, context, posts, element } = await filledForm();
  await element.getByRole('button', { name: 'Accept all' }).dblclick();
  await nextEvent(page, 'submit');
  await element.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).dblclick();
  await nextEvent(page, 'submit', 2);
  await settle(page);
  const made = await submits(page);
  assert.equal(made.length, 2, 'one submission and one withdrawal');
  assert.equal(new Set(posts).size, 2);
  assert.equal(posts.length, 2);
  await context.close();
});

test('in enhance mode, the site button pressed again after sending makes no receipt until the person chooses Send again', async () => {
  const { page, context, posts } = await withEndpoint(ENHANCED);
  const form = page.locator('#site');
  await form.getByLabel('Monthly newsletter').waitFor();
  await form.getByLabel('Your name').fill('Ada');
  await form.getByLabel('E-mail address').fill('ada@example.com');
  await form.getByRole('button', { name: 'Sign up' }).click();
  const first = (await nextEvent(page, 'submit')).detail.receipt;
  for (let i = 0; i < 3; i++) await form.getByRole('button', { name: 'Sign up' }).click();
  await settle(page);
  assert.equal((await submits(page)).length, 1, 'no receipt from the repeated clicks');
  assert.equal(posts.length, 1, 'no second lead');
  const panel = form.getByRole('region', { name: 'Your consent receipt' });
  assert.match(await panel.innerText(), /These details were already sent\. To send them again, choose “Send again”\./);
  const again = panel.getByRole('button', { name: 'Send again' });
  assert.equal(await again.evaluate((b) => b.getRootNode().activeElement === b), true, 'focus is on Send again');
  await again.click();
  await form.getByRole('button', { name: 'Sign up' }).click();
  const second = (await nextEvent(page, 'submit', 2)).detail.receipt;
  assert.equal(receiptPayload(second).consentCapture.previousReceipt, createHash('sha256').update(first).digest('base64url'));
  await settle(page);
  assert.equal(posts.length, 2, 'sent again by choice');
  await context.close();
});

test('after a reload the last receipt and its Withdraw buttons come back, and withdrawing asks for nothing', async () => {
  const { page, context, element } = await filledForm();
  await element.getByLabel('Monthly newsletter').check();
  await element.getByRole('button', { name: 'Send with my choices' }).click();
  const submitted = (await nextEvent(page, 'submit')).detail;
  const first = submitted.receipt;
  // The event tells the page every decision as the receipt signs it.
  assert.deepEqual(submitted.decisions, receiptPayload(first).consentCapture.decisions);
  assert.equal(submitted.decisions.find((d) => d.purpose === 'newsletter').decision, 'granted');
  assert.equal(submitted.withdrawn, undefined);

  await page.reload();
  const panel = element.getByRole('region', { name: 'Your consent receipt' });
  await panel.waitFor();
  assert.match(await panel.innerText(), new RegExp(`Receipt \u2066${receiptPayload(first).consentReceiptID}\u2069`), 'the same receipt');
  assert.equal(await element.locator('form').isVisible(), true, 'the form stays for a new message');
  assert.equal(await panel.getByRole('button', { name: 'Send again' }).count(), 0, 'nothing to send again yet');
  // A box ticked but never sent is not granted by a withdrawal.
  await element.getByLabel('Personalised advertising').check();
  await panel.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = (await nextEvent(page, 'submit')).detail;
  assert.equal(withdrawal.withdrawal, true);
  const receipt = receiptPayload(withdrawal.receipt);
  assert.deepEqual([withdrawal.withdrawn, withdrawal.previousReceiptId], [['newsletter'], receiptPayload(first).consentReceiptID]);
  assert.deepEqual(withdrawal.decisions, receipt.consentCapture.decisions);
  assert.equal(receipt.consentCapture.previousReceipt, createHash('sha256').update(first).digest('base64url'));
  assert.equal(receipt.piiPrincipalId, receiptPayload(first).piiPrincipalId);
  const decision = (purpose) => receipt.consentCapture.decisions.find((d) => d.purpose === purpose).decision;
  assert.equal(decision('newsletter'), 'withdrawn');
  assert.equal(decision('ads'), 'denied', 'only a submission grants');
  assert.equal(await element.getByLabel('Monthly newsletter').isChecked(), false);
  await context.close();
});

test('a withdrawal says "Withdrawn on <date>" without a retention period, in the element and in the viewer', async () => {
  const { page, context, element } = await filledForm();
  await element.getByRole('button', { name: 'Accept all' }).click();
  await nextEvent(page, 'submit');
  await element.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = (await nextEvent(page, 'submit', 2)).detail.receipt;
  const panel = element.getByRole('region', { name: 'Your consent receipt' });
  // Nothing to send again after a withdrawal: the form is open for a new message, the panel has focus.
  await panel.getByRole('heading').evaluate((h) => new Promise((done) => {
    const check = () => (h.getRootNode().activeElement === h ? done() : setTimeout(check, 20));
    check();
  }));
  assert.equal(await panel.getByRole('button', { name: 'Send again' }).count(), 0);
  assert.equal(await element.locator('form').isVisible(), true);
  const text = await panel.innerText();
  // The date as the browser writes dates in the form's language.
  const when = await page.evaluate((seconds) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(seconds * 1000),
    receiptPayload(withdrawal).consentTimestamp);
  assert.ok(text.includes(`Withdrawn on \u2068${when}\u2069`), text);
  assert.match(text, /\u2069\s+Monthly newsletter\n/);
  assert.doesNotMatch(text, /You refused/);
  assert.match(text, /You agreed to\s+Personalised advertising \(Kept until/);

  await page.goto(`${env.origin}/receipt.html`);
  await page.getByLabel('Receipt text').fill(withdrawal);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.locator('#summary li').first().waitFor();
  const items = await page.locator('#summary li').allInnerTexts();
  assert.ok(items.includes('Withdrew: Monthly newsletter.'), items.join(' | '));
  assert.ok(items.some((i) => /^Agreed to: Personalised advertising \(kept: /.test(i)), items.join(' | '));
  await context.close();
});

/** Whether the characters of `text` inside the shadow root's `selector` element are laid out left to right. */
async function readsLeftToRight(locator, text) {
  return locator.evaluate((node, wanted) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let current = walker.nextNode(); current; current = walker.nextNode()) {
      const start = current.data.indexOf(wanted);
      if (start < 0) continue;
      const xs = [];
      for (let i = start; i < start + wanted.length; i++) {
        const range = document.createRange();
        range.setStart(current, i);
        range.setEnd(current, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) xs.push(box.left);
      }
      return xs.every((x, i) => i === 0 || x > xs[i - 1]);
    }
    return null;
  }, text);
}

test('in Arabic the receipt id and the file type read left to right inside the right-to-left text, the date as Arabic writes it', async () => {
  const { page, context } = await withEndpoint(RENDERED.replace('lang="en"', 'lang="ar"'));
  const element = page.locator('#crm');
  await element.locator('form').waitFor();
  await element.locator('input[name="name"]').fill('Ada Lovelace');
  await element.locator('input[name="email"]').fill('ada@example.com');
  await element.locator('select[name="topic"]').selectOption('sales');
  await element.locator('button[value="accept-all"]').click();
  const { receipt } = (await nextEvent(page, 'submit')).detail;
  const panel = element.locator('section.cc-receipt');
  const payload = receiptPayload(receipt);
  const date = await page.evaluate((seconds) => new Intl.DateTimeFormat('ar', { dateStyle: 'medium', timeStyle: 'short' }).format(seconds * 1000),
    payload.consentTimestamp);
  assert.equal(await readsLeftToRight(panel, payload.consentReceiptID), true, 'the receipt id');
  // The date as Arabic writes dates, in its own order (isolated by its first strong character).
  assert.ok((await panel.innerText()).includes(`\u2068${date}\u2069`), 'the date');
  assert.equal(await readsLeftToRight(panel.locator('a'), '.jws'), true, 'the file type in the download link');
  await context.close();
});

// An engine whose WebCrypto has no Ed25519 (Safari before 17, Chromium before 137), as far as pages can tell.
const withoutEd25519 = () => {
  for (const method of ['generateKey', 'importKey']) {
    const original = SubtleCrypto.prototype[method];
    SubtleCrypto.prototype[method] = function withoutEd25519Method(...args) {
      const algorithm = method === 'importKey' ? args[2] : args[0];
      if ((algorithm?.name ?? algorithm) === 'Ed25519') return Promise.reject(new DOMException('no Ed25519 here', 'NotSupportedError'));
      return original.apply(this, args);
    };
  }
};

test('without WebCrypto Ed25519 a signed notice is still checked and shown, and receipts are signed with ES256', async () => {
  const { page, context } = await open(env, '/', { init: withoutEd25519 });
  const element = page.locator('#rendered');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  await element.getByRole('button', { name: 'Send with my choices' }).click();
  const { receipt } = (await nextEvent(page, 'submit')).detail;
  assert.equal(JSON.parse(Buffer.from(receipt.split('.')[0], 'base64url')).alg, 'ES256');
  assert.ok(receiptPayload(receipt).consentCapture.noticeSignature, 'the checked notice signature is carried');
  await context.close();

  // The check is real: a notice signature that does not verify is refused there too.
  const jws = (await (await fetch(`${env.origin}/demo/notice.jws`)).text()).trim();
  const forged = jws.slice(0, -2) + (jws.endsWith('AA') ? 'QQ' : 'AA');
  const other = await open(env, '/', { init: withoutEd25519, routes: { '/demo/notice.jws': { body: forged, type: 'application/jose' } } });
  assert.match(await unavailable(other.page, 'rendered'), /does not verify with the controller key|signature/);
  await other.context.close();
});

test('without WebCrypto Ed25519 the receipt viewer still checks an EdDSA receipt, and refuses a changed one', async () => {
  const made = await open(env);
  await fillDemoFields(made.page.locator('#rendered'));
  await made.page.locator('#rendered').getByRole('button', { name: 'Send with my choices' }).click();
  const { receipt } = (await nextEvent(made.page, 'submit')).detail;
  await made.context.close();
  assert.equal(JSON.parse(Buffer.from(receipt.split('.')[0], 'base64url')).alg, 'EdDSA');

  const { page, context } = await open(env, '/receipt.html', { init: withoutEd25519 });
  const verdictFor = (text) => viewerVerdict(page, text);
  assert.match(await verdictFor(receipt), /^Valid/);
  const tampered = receipt.slice(0, -2) + (receipt.endsWith('AA') ? 'QQ' : 'AA');
  assert.match(await verdictFor(tampered), /^Not valid/);
  await context.close();
});
