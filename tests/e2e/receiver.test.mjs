// The whole loop: the real element in Chromium sends to the real receiver (the binary, on a loopback port,
// with the demo notice, the demo controller key and an SQLite file in a temporary folder). The controller's
// acknowledgement comes back, is shown and kept, survives a reload, and verifies with an unmodified JOSE
// library and with `consent-capture verify`; the person reads and erases what it holds about their device.
// What the receiver refuses is checked from Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { fillDemoFields, nextEvent, open, receiptPayload, start, viewerVerdict } from './browser.mjs';

const root = new URL('../../', import.meta.url).pathname;
const CLI = join(root, 'target/debug/consent-capture');
const RECEIVER = join(root, 'target/debug/consent-capture-receiver');
const scratch = mkdtempSync(join(tmpdir(), 'consent-capture-receiver-e2e-'));
const controller = JSON.parse(readFileSync(join(root, 'tools/demo-controller.jwk'), 'utf8'));
// The demo page pins this thumbprint of the demo controller key (controller-key in www/index.html).
const CONTROLLER_THUMBPRINT = 'UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws';
delete controller.d;

let env;
let receiver;
let receiverOrigin;

const freePort = () => new Promise((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

// `timeout` stops the receiver by itself should this test process die without stopping it.
async function startReceiver() {
  const child = spawn('timeout', ['600', RECEIVER, '--notice', join(root, 'www/demo/notice.json'),
    '--key', join(root, 'tools/demo-controller.jwk'), '--database', `sqlite:${join(scratch, 'receiver.sqlite')}`,
    '--listen', receiverOrigin.slice('http://'.length), '--allow-origin', env.origin, '--public-url', receiverOrigin, '--demo'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise((ready, fail) => {
    child.stderr.on('data', (chunk) => { log += chunk; if (log.includes('receiving')) ready(); });
    child.on('exit', (code) => fail(new Error(`the receiver stopped (exit ${code}): ${log}`)));
  });
  return child;
}

async function stopReceiver() {
  receiver.removeAllListeners('exit');
  const stopped = new Promise((done) => receiver.once('exit', done));
  receiver.kill('SIGTERM'); // timeout passes it on to the receiver
  await stopped;
  receiver = null;
}

before(async () => {
  receiverOrigin = `http://127.0.0.1:${await freePort()}`;
  env = await start({ receiver: receiverOrigin });
  receiver = await startReceiver();
});

after(async () => {
  if (receiver) await stopReceiver();
  await env?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const rendered = (page) => page.locator('#rendered');
const sha256 = (text) => createHash('sha256').update(text).digest('base64url');

function file(name, text) {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

async function sentEvent(page, count = 1) {
  await page.waitForFunction((c) => window.__events.filter((e) => e.kind === 'delivery' && e.detail.state === 'sent').length >= c, count);
  return page.evaluate(() => window.__events.filter((e) => e.kind === 'delivery' && e.detail.state === 'sent').at(-1).detail);
}

async function post(body, headers = {}) {
  const response = await fetch(`${receiverOrigin}/receipts`, {
    method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers },
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

test('the demo form sends to the receiver; its acknowledgement is shown, kept over a reload, and verifies with jose and the CLI', async () => {
  const { page, context } = await open(env);
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await fillDemoFields(rendered(page));
  await rendered(page).getByLabel('Monthly newsletter').check();
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  const { receipt, request } = (await nextEvent(page, 'submit')).detail;
  const delivered = await sentEvent(page);
  assert.equal(delivered.status, 200);
  const { acknowledgement } = delivered;
  assert.match(acknowledgement, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the delivery event carries the acknowledgement');

  // An unmodified JOSE library, given only the controller's public key.
  const { payload, protectedHeader } = await compactVerify(acknowledgement, await importJWK(controller, 'EdDSA'));
  assert.equal(protectedHeader.typ, 'consent-acknowledgement+jws');
  const signed = JSON.parse(new TextDecoder().decode(payload));
  assert.equal(signed.entry.receiptSha256, sha256(receipt));
  assert.equal(signed.entry.receiptId, receiptPayload(receipt).consentReceiptID);
  assert.equal(signed.entry.bodySha256, sha256(request.body), 'the body as it left the browser');

  // The package's Node entry checks it as the browser does, under the controller key's thumbprint.
  const { verifyAcknowledgement } = await import(join(root, 'target/package/verify-node.js'));
  const checked = await verifyAcknowledgement(acknowledgement, receipt, CONTROLLER_THUMBPRINT);
  assert.deepEqual({ valid: checked.valid, position: checked.position }, { valid: true, position: signed.entry.position });
  assert.equal((await verifyAcknowledgement(acknowledgement, receipt, 'another-thumbprint')).valid, false);
  const otherReceipt = receipt.replace(/\.[^.]+\./, '.e30.');
  assert.match((await verifyAcknowledgement(acknowledgement, otherReceipt, CONTROLLER_THUMBPRINT)).reason, /receiptSha256/);
  // With the body sent (its hash), it must name that very body.
  assert.equal((await verifyAcknowledgement(acknowledgement, receipt, CONTROLLER_THUMBPRINT, sha256(request.body))).valid, true);
  assert.match((await verifyAcknowledgement(acknowledgement, receipt, CONTROLLER_THUMBPRINT, sha256(`${request.body} `))).reason, /bodySha256/);

  // The CLI checks both signatures, that they belong together, and the inclusion proof.
  const receiptFile = file('receipt.jws', receipt);
  const keyFile = file('controller.jwk', JSON.stringify(controller));
  const verified = spawnSync(CLI, ['verify', receiptFile, '--controller-key', keyFile, '--acknowledgement', file('ack.jws', acknowledgement)], { encoding: 'utf8' });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /received     by the controller .* record \d+ of its log/);
  // Where the data went, as the device named it and signed.
  assert.match(verified.stdout, new RegExp(`sent to      ${receiverOrigin}/receipts \\(as the device named it`));
  assert.match(verified.stdout, /shaped by    the shipped json destination \(description sha256 [A-Za-z0-9_-]{43}\)/);
  const forged = spawnSync(CLI, ['verify', receiptFile, '--controller-key', keyFile,
    '--acknowledgement', file('forged.jws', `${acknowledgement.slice(0, -4)}AAAA`)], { encoding: 'utf8' });
  assert.equal(forged.status, 1, 'a changed acknowledgement is refused');
  assert.match(forged.stdout + forged.stderr, /acknowledgement: signature/);

  // The person sees who received it and when, and can download it beside the receipt.
  const panel = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  // When, as the browser writes dates in the form's language (kept left to right).
  await panel.getByText(/^Received by Example Widgets Ltd: \u2066[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M\u2069$/).waitFor();
  const download = panel.getByRole('link', { name: 'Download the controller’s acknowledgement (.jws)' });
  assert.equal(await download.getAttribute('href'), `data:application/jose,${acknowledgement}`);
  assert.match(await download.getAttribute('download'), /^consent-acknowledgement-[0-9a-f-]{36}\.jws$/);

  // After a reload the last receipt comes back with its acknowledgement.
  await page.reload();
  const again = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  await again.getByText(/^Received by Example Widgets Ltd: /).waitFor();
  assert.equal(await again.getByRole('link', { name: 'Download the controller’s acknowledgement (.jws)' }).getAttribute('href'),
    `data:application/jose,${acknowledgement}`);

  // A withdrawal is acknowledged too, as the next record of the log.
  await page.evaluate(() => { window.__events.length = 0; });
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await again.getByRole('button', { name: 'Withdraw: Monthly newsletter' }).click();
  const withdrawal = await sentEvent(page);
  const withdrawn = JSON.parse(Buffer.from(withdrawal.acknowledgement.split('.')[1], 'base64url').toString());
  assert.equal(withdrawn.entry.position, signed.entry.position + 1);
  await compactVerify(withdrawal.acknowledgement, await importJWK(controller, 'EdDSA'));

  // An auditor checks the receiver's database against the controller's signatures.
  const audit = spawnSync(CLI, ['audit', '--database', `sqlite:${join(scratch, 'receiver.sqlite')}`, '--controller', keyFile], { encoding: 'utf8' });
  assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /^audit passed: \d+ records, each as its acknowledgement signed/);

  // The receipt viewer checks a receipt with its acknowledgement, and refuses another receipt's.
  const viewer = await context.newPage();
  await viewer.goto(`${env.origin}/receipt.html`);
  await viewer.getByLabel('The controller\'s acknowledgement of it (optional)').fill(acknowledgement);
  assert.match(await viewerVerdict(viewer, receipt), /^Valid/);
  assert.match(await viewer.locator('#summary').innerText(), new RegExp(`Sent to ${receiverOrigin}/receipts, as the signing device named it`));
  assert.match(await viewer.locator('#summary').innerText(), /In the shape the destination description with SHA-256 [A-Za-z0-9_-]{43} gives/);
  assert.match(await viewer.locator('#acknowledgement-verdict').innerText(),
    new RegExp(`^Acknowledged: signed by the key that signed the notice this receipt names, received on .* record ${signed.entry.position} of its log`));
  await viewer.getByLabel('The controller\'s acknowledgement of it (optional)').fill(withdrawal.acknowledgement);
  await viewerVerdict(viewer, receipt);
  assert.match(await viewer.locator('#acknowledgement-verdict').innerText(), /^The acknowledgement is not valid for this receipt: .*receiptSha256/);
  // An acknowledgement put where the receipt goes is moved to its own field, and the person told why; its file
  // has a place of its own.
  const ackField = viewer.getByLabel('The controller\'s acknowledgement of it (optional)');
  await ackField.fill('');
  assert.match(await viewerVerdict(viewer, acknowledgement), /^That is the controller’s acknowledgement, not a receipt/);
  assert.equal(await ackField.inputValue(), acknowledgement);
  await ackField.fill('');
  await viewer.getByLabel('Receipt text').fill(receipt);
  await viewer.getByLabel('Or choose its file', { exact: true })
    .setInputFiles({ name: 'acknowledgement.jws', mimeType: 'application/jose', buffer: Buffer.from(acknowledgement) });
  await viewer.locator('#acknowledgement-verdict').waitFor();
  assert.match(await viewer.locator('#acknowledgement-verdict').innerText(), /^Acknowledged: /);
  assert.equal(await ackField.inputValue(), acknowledgement);
  await context.close();
});

test('an acknowledgement of another body than the one sent is not shown as received, now or after a reload', async () => {
  // Something between the browser and the receiver changes the body in a way the receiver accepts (the same
  // fields): the receiver acknowledges what it got, which is not what the device sent.
  const { page, context } = await open(env);
  await page.route(`${receiverOrigin}/receipts`, (route) => (route.request().method() === 'POST'
    ? route.continue({ postData: `${route.request().postData()} ` })
    : route.continue()));
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await fillDemoFields(rendered(page));
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  const { receipt, request } = (await nextEvent(page, 'submit')).detail;
  const { acknowledgement } = await sentEvent(page);
  const signed = JSON.parse(Buffer.from(acknowledgement.split('.')[1], 'base64url'));
  assert.equal(signed.entry.bodySha256, sha256(`${request.body} `), 'the receiver acknowledged what it got');
  const panel = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  const { verifyAcknowledgement } = await import(join(root, 'target/package/verify-node.js'));
  assert.equal((await verifyAcknowledgement(acknowledgement, receipt, CONTROLLER_THUMBPRINT)).valid, true, 'genuine otherwise');
  // Long enough for the verifier module to have shown a genuine one (the first test waits for the same).
  await page.waitForFunction(() => [...performance.getEntriesByType('resource')].some((r) => r.name.endsWith('consent_capture_verify_bg.wasm')));
  await page.waitForTimeout(500);
  assert.equal(await panel.getByText(/^Received by/).count(), 0);
  assert.equal(await panel.getByRole('link', { name: /acknowledgement/ }).count(), 0);
  assert.equal(await panel.getByText('Your details were sent.').count(), 1, 'what is true is still said');
  await page.reload();
  const again = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  await again.waitFor();
  await page.waitForFunction(() => [...performance.getEntriesByType('resource')].some((r) => r.name.endsWith('consent_capture_verify_bg.wasm')));
  await page.waitForTimeout(500);
  assert.equal(await again.getByText(/^Received by/).count(), 0);
  await context.close();
});

test('from the receipt panel the person sees what the receiver holds about their device, with the data sent, and erases it', async () => {
  const { page, context } = await open(env);
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  const form = rendered(page);
  await form.getByLabel('Your name').fill('Grace Hopper');
  await form.getByLabel('E-mail address').fill('grace@example.com');
  await form.getByLabel('Company').fill('Harvard Mark Computers');
  await form.getByLabel('Topic').selectOption('sales');
  await form.getByLabel('Monthly newsletter').check();
  await form.getByRole('button', { name: 'Send with my choices' }).click();
  const { receiptId } = (await nextEvent(page, 'submit')).detail;
  const { acknowledgement } = await sentEvent(page);
  const panel = form.getByRole('region', { name: 'Your consent receipt' });
  await panel.getByText(/^Received by Example Widgets Ltd: /).waitFor();

  await panel.getByRole('button', { name: 'Show what you hold about me' }).click();
  const held = panel.locator('[part="access-result"]');
  await held.getByText('Harvard Mark Computers').waitFor();
  assert.match(await held.innerText(), new RegExp(`Receipt ${receiptId}, received`));
  // In the notice's words: its labels and the option's text, not field names and option codes.
  assert.match(await held.innerText(), /Company\s+Harvard Mark Computers/);
  assert.match(await held.innerText(), /Topic\s+Buying widgets/);
  assert.doesNotMatch(await held.innerText(), /\bsales\b|\bcompany\b/);
  assert.match(await held.innerText(), /grace@example\.com/);
  const all = await held.getByRole('link', { name: 'Download all of it (.json)' }).getAttribute('href');
  const json = JSON.parse(decodeURIComponent(all.slice('data:application/json,'.length)));
  assert.equal(json.receipts.length, 1, 'what this device signed, not what others did');
  assert.equal(json.receipts[0].acknowledgement, acknowledgement);
  assert.equal(json.receipts[0].fields.company, 'Harvard Mark Computers');

  const erase = panel.getByRole('button', { name: 'Erase my data' });
  await erase.click();
  await panel.getByRole('button', { name: 'Erase it for good? Press again to confirm.' }).click();
  await panel.getByText(/^Erased: the data sent with 1 of your receipts\./).waitFor();
  await panel.getByRole('button', { name: 'Show what you hold about me' }).click();
  await held.getByText(/^Erased on /).waitFor();
  assert.doesNotMatch(await held.innerText(), /Harvard/);
  await context.close();

  const database = join(scratch, 'receiver.sqlite');
  for (const path of [database, `${database}-wal`]) {
    let bytes = '';
    try { bytes = readFileSync(path, 'latin1'); } catch { continue; }
    assert.ok(!bytes.includes('Harvard Mark Computers'), `${path} holds no erased value`);
  }
  const keyFile = file('controller-erased.jwk', JSON.stringify(controller));
  const audit = spawnSync(CLI, ['audit', '--database', `sqlite:${database}`, '--controller', keyFile], { encoding: 'utf8' });
  assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /\(1 with their body erased\)/);
});

test('what the receiver holds fits a 375 px screen with its times as dates, and erasing counts only receipts that carried data', async () => {
  const { page, context } = await open(env, '/', { contextOptions: { viewport: { width: 375, height: 800 } } });
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  const form = rendered(page);
  await form.getByLabel('Your name').fill('Ada Lovelace');
  await form.getByLabel('E-mail address').fill('ada@example.com');
  await form.getByLabel('Topic').selectOption('sales');
  await form.getByLabel('Personalised advertising').check();
  await form.getByLabel('Phone (only its hash is shared, for ads)').fill('+44 20 7946 0958');
  await form.getByRole('button', { name: 'Send with my choices' }).click();
  const { payload } = (await nextEvent(page, 'submit')).detail;
  assert.match(payload.phone, /^[0-9a-f]{64}$/, 'a 64-character hash, one long word');
  await sentEvent(page);
  const panel = form.getByRole('region', { name: 'Your consent receipt' });
  await panel.getByText(/^Received by Example Widgets Ltd: /).waitFor();
  // A withdrawal carries no data: erasing it erases nothing of the person's.
  await panel.getByRole('button', { name: 'Withdraw: Personalised advertising' }).click();
  await sentEvent(page, 2);
  await panel.getByText(/^Received by Example Widgets Ltd: /).waitFor();

  await panel.getByRole('button', { name: 'Show what you hold about me' }).click();
  const held = panel.locator('[part="access-result"]');
  await held.getByText(payload.phone).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'nothing wider than the screen');
  const box = await held.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `the list stays on screen: ${JSON.stringify(box)}`);
  const text = await held.innerText();
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no raw ISO 8601 time');
  assert.match(text, /received \u2066[A-Z][a-z]{2} \d{1,2}, \d{4}/, 'a date as people write it in English');

  await panel.getByRole('button', { name: 'Erase my data' }).click();
  await panel.getByRole('button', { name: 'Erase it for good? Press again to confirm.' }).click();
  await panel.getByText(/^Erased: the data sent with 1 of your receipts\./).waitFor();
  await context.close();
});

test('in Arabic at 375 px, what the receiver holds and the Erase button stay on screen', async () => {
  const { page, context } = await open(env, '/', { contextOptions: { viewport: { width: 375, height: 800 } } });
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await page.evaluate(() => document.getElementById('rendered').setAttribute('lang', 'ar'));
  const form = rendered(page);
  await form.locator('form[lang="ar"], [lang="ar"] form').first().waitFor();
  await form.locator('input[name="name"]').fill('آدا لوفلايس');
  await form.locator('input[name="email"]').fill('ada@example.com');
  await form.locator('select[name="topic"]').selectOption('sales');
  await form.locator('input[name="phone"]').fill('+44 20 7946 0958');
  await form.getByRole('checkbox').last().check();
  await form.getByRole('button', { name: 'إرسال مع اختياراتي' }).click();
  await sentEvent(page);
  const panel = form.getByRole('region', { name: 'إيصال موافقتك' });
  await panel.getByText(/^استلمه /).waitFor();
  await panel.getByRole('button', { name: 'اعرض ما تحتفظون به عني' }).click();
  const held = panel.locator('[part="access-result"]');
  await held.locator('dd').first().waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'nothing wider than the screen');
  for (const shown of [held, panel.getByRole('button', { name: 'احذف بياناتي' })]) {
    const box = await shown.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `on screen: ${JSON.stringify(box)}`);
  }
  await context.close();
});

test('the receiver answers a retry with the same acknowledgement and refuses changed, extra, hostile and foreign bodies', async () => {
  const { page, context } = await open(env);
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await fillDemoFields(rendered(page));
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  const { request, receiptId } = (await nextEvent(page, 'submit')).detail;
  const { acknowledgement } = await sentEvent(page);
  await context.close();

  const retry = await post(request.body, { 'Idempotency-Key': receiptId });
  assert.deepEqual([retry.status, retry.json], [200, { acknowledgement }], 'the outbox may retry');
  const body = JSON.parse(request.body);
  // The element signs the hash of the fields it sends and the endpoint: another body is refused as such.
  const signed = JSON.parse(Buffer.from(body.receipt.split('.')[1], 'base64url').toString()).consentCapture;
  assert.equal(signed.endpoint, `${receiverOrigin}/receipts`);
  assert.match(signed.fieldsSha256, /^[A-Za-z0-9_-]{43}$/);
  const changed = await post(JSON.stringify({ ...body, fields: { ...body.fields, name: 'Eve' } }));
  assert.deepEqual([changed.status, changed.json.error.rule], [422, 'fields-hash'], 'the same receipt with another body');
  // The newsletter was refused, so the company (which only it justifies) must not arrive.
  const extra = await post(JSON.stringify({ ...body, fields: { ...body.fields, company: 'Analytical Engines Ltd' } }));
  assert.deepEqual([extra.status, extra.json.error.rule, extra.json.error.at], [422, 'fields', 'fields.company']);
  const deep = await post(`${'['.repeat(5000)}${']'.repeat(5000)}`);
  assert.deepEqual([deep.status, deep.json.error.rule], [400, 'body']);
  const form = await post('name=Ada', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.deepEqual([form.status, form.json.error.rule], [415, 'content-type']);
  const tampered = await post(JSON.stringify({ ...body, receipt: `${body.receipt.slice(0, -4)}AAAA` }));
  assert.deepEqual([tampered.status, tampered.json.error.rule], [422, 'receipt']);
  const cors = await fetch(`${receiverOrigin}/receipts`, { method: 'OPTIONS', headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(cors.headers.get('access-control-allow-origin'), null, 'CORS only for the configured origin');
});

test('with the receiver down, the outbox keeps the submission and delivers it once the receiver is back', async () => {
  await stopReceiver();
  const { page, context } = await open(env);
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await fillDemoFields(rendered(page));
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  const { receipt } = (await nextEvent(page, 'submit')).detail;
  await page.waitForFunction(() => window.__events.some((e) => e.kind === 'delivery' && e.detail.state === 'queued'));
  const panel = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  await panel.getByText(/kept on this device and will be sent automatically/).waitFor();

  receiver = await startReceiver();
  const { acknowledgement } = await sentEvent(page); // the outbox's next try, two seconds after the first
  const { payload } = await compactVerify(acknowledgement, await importJWK(controller, 'EdDSA'));
  assert.equal(JSON.parse(new TextDecoder().decode(payload)).entry.receiptSha256, sha256(receipt));
  await panel.getByText(/^Received by Example Widgets Ltd: /).waitFor();
  await context.close();
});
