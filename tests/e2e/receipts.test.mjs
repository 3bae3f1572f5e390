// Receipts made by the real browser flow: signed with a device key that the browser keeps, verifiable by an
// unmodified standard JOSE library and by our native verifier, chained when a purpose is withdrawn, shown to
// the person, and readable in the viewer page. A notice the controller signed is checked before rendering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { compactVerify, EmbeddedJWK } from 'jose';
import { cli, fillDemoFields, nextEvent, open, receiptPayload, start, testPage, unavailable, viewerVerdict } from './browser.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'consent-capture-e2e-'));

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const rendered = (page) => page.locator('#rendered');

async function submitDemo(page, { newsletter = true } = {}) {
  await fillDemoFields(rendered(page));
  if (newsletter) await rendered(page).getByLabel('Monthly newsletter').check();
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  return (await nextEvent(page, 'submit')).detail;
}

function file(name, text) {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const kid = (jws) => JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString()).kid;

test('a browser receipt verifies with an unmodified JOSE library and with the native verifier', async () => {
  const { page, context } = await open(env);
  const { receipt } = await submitDemo(page);
  const { payload, protectedHeader } = await compactVerify(receipt, EmbeddedJWK);
  assert.equal(protectedHeader.alg, 'EdDSA');
  assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), receiptPayload(receipt));
  const controllerKey = JSON.parse(readFileSync(new URL('../../tools/demo-controller.jwk', import.meta.url), 'utf8'));
  delete controllerKey.d;
  const verified = cli('verify', file('browser.jws', receipt), '--controller-key', file('controller.jwk', JSON.stringify(controllerKey)));
  assert.equal(verified.code, 0, verified.out);
  assert.match(verified.out, /granted      newsletter \(consent\)/);
  assert.match(verified.out, /signed by the given controller key/);
  const tampered = receipt.slice(0, -3) + (receipt.endsWith('A') ? 'BAA' : 'AAA');
  assert.equal(cli('verify', file('tampered.jws', tampered)).code, 1);
  await assert.rejects(compactVerify(tampered, EmbeddedJWK));
  await context.close();
});

test('a browser without WebCrypto Ed25519 signs with ES256, and its receipts verify just the same', async () => {
  const withoutEd25519 = () => {
    const generate = SubtleCrypto.prototype.generateKey;
    SubtleCrypto.prototype.generateKey = function generateKey(algorithm, ...rest) {
      if ((algorithm?.name ?? algorithm) === 'Ed25519') return Promise.reject(new DOMException('no Ed25519 here', 'NotSupportedError'));
      return generate.call(this, algorithm, ...rest);
    };
  };
  const { page, context } = await open(env, '/', { init: withoutEd25519 });
  const { receipt } = await submitDemo(page);
  const { protectedHeader } = await compactVerify(receipt, EmbeddedJWK);
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(protectedHeader.jwk.crv, 'P-256');
  const verified = cli('verify', file('es256.jws', receipt));
  assert.equal(verified.code, 0, verified.out);
  await context.close();
});

test('the device key is kept: receipts from one browser chain under one key, another browser has another', async () => {
  const first = await open(env);
  const a = (await submitDemo(first.page)).receipt;
  await first.page.reload();
  const b = (await submitDemo(first.page)).receipt;
  assert.equal(kid(a), kid(b), 'same key after a reload (IndexedDB)');
  assert.equal(receiptPayload(b).consentCapture.previousReceipt, createHash('sha256').update(a).digest('base64url'),
    'a change chains to the last receipt, even across page loads');
  const other = await open(env);
  const c = (await submitDemo(other.page)).receipt;
  assert.notEqual(kid(a), kid(c), 'a fresh browser profile makes its own key');
  assert.equal(receiptPayload(c).piiPrincipalId, `jwk-thumbprint:${kid(c)}`, 'the person is named by the key, pseudonymously');
  assert.equal(cli('verify', file('b.jws', b), '--previous', file('c.jws', c)).code, 1, 'not the receipt it follows');
  await first.context.close();
  await other.context.close();
});

test('after sending, the person reads the receipt, can download it, and withdraws as easily as they agreed', async () => {
  const { page, context } = await open(env);
  const first = (await submitDemo(page)).receipt;
  const panel = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  await panel.waitFor();
  assert.equal(await rendered(page).locator('form').isVisible(), false, 'the receipt takes the place of the form');
  const text = await panel.innerText();
  assert.match(text, /You agreed to\s+Monthly newsletter \(Kept until: Until you unsubscribe\)/);
  assert.match(text, /Responsible for your data: Example Widgets Ltd, privacy@example\.com/);
  const download = panel.getByRole('link', { name: 'Download this receipt (.jws)' });
  assert.equal(await download.getAttribute('href'), `data:application/jose,${first}`);
  assert.match(await download.getAttribute('download'), /^consent-receipt-[0-9a-f-]{36}\.jws$/);
  assert.equal(await rendered(page).evaluate((el) => el.shadowRoot.activeElement?.id), 'cc-receipt-heading', 'focus moves to the receipt');

  await panel.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = (await nextEvent(page, 'submit', 2)).detail;
  assert.equal(withdrawal.withdrawal, true);
  assert.deepEqual(withdrawal.payload, {}, 'a withdrawal sends no data');
  const decisions = receiptPayload(withdrawal.receipt).consentCapture.decisions;
  assert.equal(decisions.find((d) => d.purpose === 'newsletter').decision, 'withdrawn');
  assert.equal((await nextEvent(page, 'change')).detail.granted, false);
  const chained = cli('verify', file('withdrawal.jws', withdrawal.receipt), '--previous', file('first.jws', first));
  assert.equal(chained.code, 0, chained.out);
  assert.match(chained.out, /follows      the given previous receipt/);
  await compactVerify(withdrawal.receipt, EmbeddedJWK);
  assert.doesNotMatch(await rendered(page).getByRole('region').innerText(), /Withdraw:/, 'nothing left to withdraw');
  await context.close();
});

test('the receipt viewer checks a receipt with WebCrypto and reads it out; a changed one is refused', async () => {
  const { page, context } = await open(env);
  const { receipt } = await submitDemo(page);
  await page.goto(`${env.origin}/receipt.html`);
  await page.getByLabel('Receipt text').fill(receipt);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForFunction(() => document.getElementById('verdict').dataset.valid);
  assert.match(await page.locator('#verdict').innerText(), /^Valid/);
  const summary = await page.locator('#summary').innerText();
  assert.match(summary, /Controller, as the receipt names it: Example Widgets Ltd/, 'a claim, not a checked fact');
  assert.doesNotMatch(summary, /signed by the controller/, 'the viewer does not check the notice signature');
  assert.match(summary, /Agreed to: Monthly newsletter/);
  assert.match(summary, /Refused: Personalised advertising\./, 'no retention for a refused purpose');
  assert.match(summary, /Sent: name, email, company, topic\. Kept back in the browser: phone \(no-purpose-granted\), birthDate \(empty\), postcode \(empty\)\./);
  const [head, body, signature] = receipt.split('.');
  const changed = receiptPayload(receipt);
  changed.consentCapture.decisions[2].decision = 'granted';
  const forged = `${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
  await page.getByLabel('Receipt text').fill(forged);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForFunction(() => document.getElementById('verdict').dataset.valid === 'false');
  assert.equal(await page.locator('#verdict').innerText(), 'Not valid: signature: does not verify');
  // Decisions are read by purpose id: a receipt whose decisions were reordered is refused, not misread.
  const reordered = receiptPayload(receipt);
  reordered.consentCapture.decisions.reverse();
  await page.getByLabel('Receipt text').fill(`${head}.${Buffer.from(JSON.stringify(reordered)).toString('base64url')}.${signature}`);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForFunction(() => /consentCapture\.decisions/.test(document.getElementById('verdict').textContent));
  await page.getByLabel('Receipt text').fill(`${head}.${body}.${signature}=`);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForFunction(() => /base64url/.test(document.getElementById('verdict').textContent));
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

test('a notice that is not the one the pinned controller key signed is not shown', async () => {
  const reworded = JSON.parse(readFileSync(new URL('../../www/demo/notice.json', import.meta.url), 'utf8'));
  reworded.purposes[1].name.en = 'Monthly newsletter (and we sell your address)';
  const signed = '<consent-capture id="signed" notice="/demo/notice.json" notice-signature="/demo/notice.jws" controller-key="UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws"></consent-capture>';
  const routes = { '/signed.html': { body: testPage(signed) }, '/demo/notice.json': { body: JSON.stringify(reworded), type: 'application/json' } };
  const { page, context } = await open(env, '/signed.html', { routes });
  assert.match(await unavailable(page, 'signed'), /payload\.noticeSha256: .*signs another notice/);
  assert.equal(await page.locator('#signed form').count(), 0);
  await context.close();
  const wrongKey = signed.replace('UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws', 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  const other = await open(env, '/wrong.html', { routes: { '/wrong.html': { body: testPage(wrongKey) } } });
  // The visitor reads one sentence, never "header.jwk: …"; the developer reads what is wrong in the event.
  assert.match(await unavailable(other.page, 'signed'), /header\.jwk: .*not the controller key this page names/);
  await other.context.close();
});

test('a verifier module that is not the one the element pins is not run: a signed notice is then not shown', async () => {
  // Whoever serves the verifier could otherwise make the device key sign what the person refused.
  const genuine = readFileSync(new URL('../../www/dist/consent-capture-verify.js', import.meta.url), 'utf8');
  const changed = `${genuine}\nglobalThis.__changedVerifierRan = true;\n`;
  const signed = '<consent-capture id="signed" notice="/demo/notice.json" notice-signature="/demo/notice.jws" controller-key="UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws"></consent-capture>';
  const routes = { '/signed.html': { body: testPage(signed) }, '/dist/consent-capture-verify.js': { body: changed, type: 'text/javascript' } };
  const { page, context } = await open(env, '/signed.html', { routes });
  assert.match(await unavailable(page, 'signed'), /verifier module is not the one this element pins/);
  assert.equal(await page.locator('#signed form').count(), 0);
  assert.equal(await page.evaluate(() => globalThis.__changedVerifierRan), undefined, 'the changed module never ran');
  await context.close();
  // The genuine module, pinned, checks the same notice and the form shows.
  const good = await open(env, '/signed.html', { routes: { '/signed.html': { body: testPage(signed) } } });
  await good.page.locator('#signed form').waitFor();
  await good.context.close();
});

test('two submit events at once (a double submit) make one submission, not two receipts or a fork', async () => {
  const { page, context } = await open(env);
  const site = page.locator('#signup');
  await site.getByLabel('Your name').fill('Ada');
  await site.getByLabel('E-mail address').fill('ada@example.com');
  await site.getByLabel('Topic').selectOption('sales');
  await site.getByLabel('Monthly newsletter').waitFor();
  await page.evaluate(() => { const form = document.getElementById('signup'); form.requestSubmit(); form.requestSubmit(); });
  await nextEvent(page, 'submit');
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.kind === 'submit').length), 1);
  await context.close();
});

test('ES256 device signatures are always low-S (WebCrypto gives high S about half the time), and still verify', async () => {
  const { sign } = await import('../../www/keys.js');
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const halfOrder = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', jwk: { crv, kty, x, y } })).toString('base64url');
  for (let i = 0; i < 24; i++) {
    const jws = await sign({ alg: 'ES256', privateKey: pair.privateKey }, `${header}.${Buffer.from(`message ${i}`).toString('base64url')}`);
    const s = BigInt(`0x${Buffer.from(jws.split('.')[2], 'base64url').subarray(32).toString('hex')}`);
    assert.ok(s <= halfOrder, `signature ${i} has a low S`);
    await compactVerify(jws, EmbeddedJWK);
  }
});

test('an older revision that the controller once signed is refused where the page sets notice-min-revision', async () => {
  const older = JSON.parse(readFileSync(new URL('../../www/demo/notice.json', import.meta.url), 'utf8'));
  older.revision = '2026-01-05';
  older.purposes[1].description.en = 'We may also share your address with our partners.';
  const noticePath = file('older.json', JSON.stringify(older));
  const signed = cli('sign-notice', noticePath, '--key', new URL('../../tools/demo-controller.jwk', import.meta.url).pathname);
  assert.equal(signed.code, 0, signed.out);
  const element = (least) => `<consent-capture id="signed" notice="/demo/notice.json" notice-signature="/demo/notice.jws" controller-key="UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws" lang="en"${least ? ` notice-min-revision="${least}"` : ''}></consent-capture>`;
  const rolledBack = {
    '/demo/notice.json': { body: JSON.stringify(older), type: 'application/json' },
    '/demo/notice.jws': { body: signed.out.trim(), type: 'application/jose' },
  };
  // Without the attribute the older signed notice is shown: its signature is genuine.
  const plain = await open(env, '/rolled.html', { routes: { ...rolledBack, '/rolled.html': { body: testPage(element()) } } });
  await plain.page.locator('#signed form').waitFor();
  await plain.context.close();
  // With it, the page refuses a revision before the one it needs, and accepts that one and later ones.
  const pinned = await open(env, '/pinned.html', { routes: { ...rolledBack, '/pinned.html': { body: testPage(element('2026-11-22')) } } });
  assert.match(await unavailable(pinned.page, 'signed'), /revision 2026-01-05, older than the revision 2026-11-22/);
  assert.equal(await pinned.page.locator('#signed form').count(), 0);
  await pinned.context.close();
  for (const least of ['2026-11-22', '2026-9-30']) {
    const current = await open(env, '/current.html', { routes: { '/current.html': { body: testPage(element(least)) } } });
    await current.page.locator('#signed form').waitFor();
    await current.context.close();
  }
});

test('the receipt viewer fits a 375 px screen and answers empty or quoted input in plain words', async () => {
  const { page, context } = await open(env, '/', { contextOptions: { viewport: { width: 375, height: 800 } } });
  const { receipt } = await submitDemo(page);
  await page.goto(`${env.origin}/receipt.html`);
  const verdictFor = (text) => viewerVerdict(page, text);
  assert.equal(await verdictFor(''), 'There is nothing to check yet: paste a receipt, or choose or drop its file.');
  assert.equal(await verdictFor(`"${receipt}"`), 'This receipt is inside quotation marks: paste it without them.');
  assert.match(await verdictFor(receipt), /^Valid/);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no sideways scrolling');
  await context.close();
});
