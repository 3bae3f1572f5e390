// The end-to-end flows that must hold in every engine, written once against engines.mjs: render and enhance
// mode, validation and focus, languages and right to left, a receipt that the CLI verifies, withdrawal, the
// outbox across page loads, the receipt viewer, the strict CSP, axe, Enter in a field, the testing kit, and a
// form drawn ahead of time (`consent-capture render`) that holds a press until the element is ready.
// Each engine's test file calls `flows(engine)`, and runs the testing guide's snippet for its driver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embed, rendered, withHashes } from '../../tools/embed.mjs';
import { CSP, serve } from '../../tools/serve.mjs';
import { CLI, cli, guideBlock, receiptPayload, recordEvents, testPage } from '../e2e/browser.mjs';
import { crmServer } from '../e2e/crm.mjs';
import { launch } from './engines.mjs';

const root = new URL('../../', import.meta.url).pathname;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const RENDERED = ['#rendered'];
const ENHANCED_CHOICES = ['#signup', '.consent-capture-choices'];
const DRAWN = ['consent-capture'];
const drawnEmbed = embed({ folder: `${root}www/dist`, base: '/dist/', notice: '/demo/notice.json' });

async function nextEvent(page, kind, count = 1) {
  await page.waitFor(([k, c]) => window.__events.filter((e) => e.kind === k).length >= c, 20_000, `${count} ${kind} event(s)`, [kind, count]);
  return page.evaluate((k) => window.__events.filter((e) => e.kind === k).at(-1), kind);
}

/** Registers the flows for `engineName`; returns `runGuideBlock` for the engine's test of its testing guide snippet. */
export function flows(engineName) {
  let engine;
  let site;
  let crm;
  const violations = [];
  const scratch = mkdtempSync(join(tmpdir(), `consent-capture-${engineName}-`));
  const file = (name, text) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const url = (path) => `http://127.0.0.1:${site.address().port}${path}`;
  const crmUrl = (path) => `http://127.0.0.1:${crm.server.address().port}${path}`;

  before(async () => {
    crm = crmServer();
    await new Promise((done) => crm.server.listen(0, '127.0.0.1', done));
    const outboxCsp = `${CSP}; connect-src 'self' ${crmUrl('')}`;
    site = await serve({
      violations,
      pages: {
        '/outbox.html': {
          csp: outboxCsp,
          body: testPage(`<consent-capture id="crm" notice="/demo/notice.json" lang="en" endpoint="${crmUrl('/json')}" adapter="json"></consent-capture>`),
        },
        // The form drawn ahead of time and the early script, in the page as make dist prints them, under the
        // strict CSP with their hashes; without the element's module (the flow adds it).
        '/drawn.html': {
          csp: `${withHashes(CSP, drawnEmbed.hashes)}; report-uri /csp-reports`,
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>drawn</title>
${drawnEmbed.early}</head><body>${rendered({ cli: CLI, folder: `${root}www/dist`, noticeFile: `${root}www/demo/notice.json`,
            notice: '/demo/notice.json', lang: 'en' })}</body></html>`,
        },
        '/violating.html': {
          csp: `${CSP}; report-uri /csp-reports`,
          body: '<!doctype html><title>violating</title><p>inline script below</p><script>document.title = "ran";</script>',
        },
      },
    });
    engine = await launch(engineName);
  });
  after(async () => {
    await engine?.close();
    await new Promise((done) => site.close(done));
    crm.server.closeAllConnections();
    await new Promise((done) => crm.server.close(done));
  });

  async function open(path = '/') {
    const page = await engine.newPage();
    await page.goto(url(path));
    await page.evaluate(recordEvents); // no driver here has init scripts for all three
    return page;
  }

  async function fillRendered(page, { email = 'ada@example.com' } = {}) {
    await page.type([...RENDERED, '[name="name"]'], 'Ada Lovelace');
    await page.type([...RENDERED, '[name="email"]'], email);
    await page.type([...RENDERED, '[name="company"]'], 'Analytical Engines Ltd');
    await page.select([...RENDERED, '[name="topic"]'], 'support');
  }

  /** What this engine's WebCrypto offers decides the documented signing algorithm: EdDSA, else ES256. */
  const expectedAlg = async (page) => (await page.evaluate(() => crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign'])
    .then(() => true, () => false))) ? 'EdDSA' : 'ES256';

  const AsyncFunction = (async () => {}).constructor;
  /** Runs a testing guide block with `name` bound to this engine's own driver object on a fresh demo page. */
  async function runGuideBlock(lead, name) {
    const page = await open();
    await new AsyncFunction(name, 'assert', guideBlock(lead))(page.driver, assert);
    await page.close();
  }

  test(`${engineName}: render mode: nothing ticked, a refused purpose keeps its field back, the receipt verifies with the CLI`, async (t) => {
    const page = await open();
    await page.find([...RENDERED, 'form']);
    assert.deepEqual(await page.evaluate(() => [...document.querySelector('#rendered').shadowRoot.querySelectorAll('input[type=checkbox]')]
      .map((box) => box.checked)), [false, false], 'never pre-ticked');
    await fillRendered(page);
    await page.click([...RENDERED, 'button'], 'Send with my choices');
    const { detail } = await nextEvent(page, 'submit');
    const header = JSON.parse(Buffer.from(detail.receipt.split('.')[0], 'base64url'));
    assert.equal(header.alg, await expectedAlg(page), `${engineName} signs with what its WebCrypto offers`);
    t.diagnostic(`${engineName} signed the receipt with ${header.alg}`);
    const manifest = receiptPayload(detail.receipt).consentCapture.manifest;
    assert.equal(manifest.find((m) => m.field === 'company').outcome, 'dropped', 'only the newsletter justifies it');
    assert.equal(detail.payload.company, undefined);
    assert.equal(detail.payload.email, 'ada@example.com');
    const controller = JSON.parse(readFileSync(`${root}tools/demo-controller.jwk`, 'utf8'));
    delete controller.d;
    const verified = cli('verify', file('render.jws', detail.receipt), '--controller-key', file('controller.jwk', JSON.stringify(controller)));
    assert.equal(verified.code, 0, verified.out);
    assert.match(verified.out, /signed by the given controller key/);
    await page.waitFor(() => document.querySelector('#rendered').shadowRoot.activeElement?.id === 'cc-receipt-heading', 5000, 'focus on the receipt');
    await page.close();
  });

  test(`${engineName}: a form drawn ahead of time shows, styled, with no script of ours run; a press then is held and carried out`, async () => {
    const page = await open('/drawn.html');
    await page.find([...DRAWN, 'form']);
    const drawn = await page.evaluate(() => {
      const element = document.querySelector('consent-capture');
      return { ready: element.ready === true, accent: getComputedStyle(element.shadowRoot.querySelector('.cc-button')).backgroundColor };
    });
    assert.deepEqual(drawn, { ready: false, accent: 'rgb(11, 87, 208)' });
    await page.type([...DRAWN, '[name="name"]'], 'Ada Lovelace');
    await page.type([...DRAWN, '[name="email"]'], 'ada@example.com');
    await page.select([...DRAWN, '[name="topic"]'], 'support');
    await page.click([...DRAWN, 'button'], 'Accept all');
    await page.waitFor(() => document.querySelector('consent-capture').dataset.heldAction === 'accept-all', 5000, 'the press held');
    assert.deepEqual(await page.evaluate(() => [window.__events.length, location.pathname]), [0, '/drawn.html']);
    await page.evaluate(() => {
      const module = Object.assign(document.createElement('script'), { type: 'module', src: '/dist/consent-capture.js' });
      document.head.append(module);
    });
    const { detail } = await nextEvent(page, 'submit');
    assert.deepEqual(detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'support' });
    const consents = receiptPayload(detail.receipt).consentCapture.decisions.filter((d) => d.legalBasis === 'consent');
    assert.deepEqual(consents.map((d) => d.decision), consents.map(() => 'granted'));
    assert.deepEqual(violations.filter((v) => v?.['document-uri']?.endsWith('/drawn.html')), [], 'the hashes allow the early script and the stylesheet');
    await page.close();
  });

  test(`${engineName}: withdrawing from the receipt panel chains a withdrawal that the CLI verifies`, async () => {
    const page = await open();
    await fillRendered(page);
    await page.click([...RENDERED, 'button'], 'Accept all');
    const first = (await nextEvent(page, 'submit')).detail.receipt;
    await page.click([...RENDERED, 'button'], 'Withdraw: Monthly newsletter');
    const withdrawal = (await nextEvent(page, 'submit', 2)).detail;
    assert.equal(withdrawal.withdrawal, true);
    const receipt = receiptPayload(withdrawal.receipt);
    assert.equal(receipt.consentCapture.previousReceipt, createHash('sha256').update(first).digest('base64url'));
    assert.equal(receipt.consentCapture.decisions.find((d) => d.purpose === 'newsletter').decision, 'withdrawn');
    const chained = cli('verify', file('withdrawal.jws', withdrawal.receipt), '--previous', file('first.jws', first));
    assert.equal(chained.code, 0, chained.out);
    assert.match(chained.out, /follows      the given previous receipt/);
    await page.close();
  });

  test(`${engineName}: Enter in a field sends with the choices as they are, never accepting all`, async () => {
    const page = await open();
    await fillRendered(page); // the company field, typed last, has the focus
    await page.press('Enter');
    const { detail } = await nextEvent(page, 'submit');
    const consents = receiptPayload(detail.receipt).consentCapture.decisions.filter((d) => d.legalBasis === 'consent');
    assert.ok(consents.length > 0);
    assert.deepEqual(consents.map((d) => d.decision), consents.map(() => 'denied'));
    await page.close();
  });

  test(`${engineName}: enhance mode: the site's own button sends through the element, undeclared and refused fields stay`, async () => {
    const page = await open();
    await page.find([...ENHANCED_CHOICES, '#cc-purpose-1']);
    await page.type(['#signup-name'], 'Grace Hopper');
    await page.type(['#signup-email'], 'grace@example.com');
    await page.type(['#signup-company'], 'Navy');
    await page.select(['#signup-topic'], 'sales');
    await page.click([...ENHANCED_CHOICES, 'input'], 'Monthly newsletter');
    await page.click(['#signup button[type=submit]']);
    const { detail } = await nextEvent(page, 'submit');
    assert.equal(detail.payload.company, 'Navy', 'the newsletter was ticked');
    assert.equal(detail.payload.referrer, undefined);
    const manifest = receiptPayload(detail.receipt).consentCapture.manifest;
    assert.deepEqual(manifest.find((m) => m.field === 'referrer'), { field: 'referrer', outcome: 'dropped', reason: 'undeclared' });
    await page.close();
  });

  test(`${engineName}: a wrong value is explained beside its field, which gets focus, and nothing is submitted`, async () => {
    const page = await open();
    await fillRendered(page, { email: 'ada at example' });
    await page.click([...RENDERED, 'button'], 'Send with my choices');
    await page.waitFor(() => document.querySelector('#rendered').shadowRoot.querySelector('[role=alert]').textContent !== '', 5000, 'the summary');
    const state = await page.evaluate(() => {
      const shadow = document.querySelector('#rendered').shadowRoot;
      const email = shadow.querySelector('[name="email"]');
      return {
        invalid: email.getAttribute('aria-invalid'),
        message: shadow.getElementById(email.getAttribute('aria-describedby').split(' ').find((id) => id.endsWith('-error'))).textContent,
        focused: shadow.activeElement?.name,
        submitted: window.__events.filter((e) => e.kind === 'submit').length,
      };
    });
    assert.deepEqual({ ...state, message: /e-mail address such as/.test(state.message) }, { invalid: 'true', message: true, focused: 'email', submitted: 0 });
    await page.close();
  });

  test(`${engineName}: switching to Arabic reads right to left and keeps what was typed and ticked`, async () => {
    const page = await open();
    await page.type([...RENDERED, '[name="name"]'], 'Ada');
    await page.click([...RENDERED, 'input'], 'Monthly newsletter');
    await page.select(['#language'], 'ar');
    await page.waitFor(() => [document.querySelector('#rendered').shadowRoot, document.querySelector('#signup .consent-capture-choices')?.shadowRoot]
      .every((shadow) => shadow?.querySelector('.cc-root')?.getAttribute('lang') === 'ar'), 5000, 'both forms in Arabic');
    const state = await page.evaluate(() => {
      const shadow = document.querySelector('#rendered').shadowRoot;
      const rootNode = shadow.querySelector('.cc-root');
      return {
        dir: rootNode.getAttribute('dir'),
        direction: getComputedStyle(rootNode).direction,
        name: shadow.querySelector('[name="name"]').value,
        ticked: shadow.querySelector('#cc-purpose-1').checked,
        enhanced: document.querySelector('#signup .consent-capture-choices').shadowRoot.querySelector('.cc-root')?.getAttribute('dir'),
      };
    });
    assert.deepEqual(state, { dir: 'rtl', direction: 'rtl', name: 'Ada', ticked: true, enhanced: 'rtl' });
    await page.close();
  });

  test(`${engineName}: the outbox keeps a submission the endpoint refused (503) and sends it once on the next page load`, async () => {
    crm.state.requests.length = 0;
    crm.state.plan = Array(50).fill(503);
    const page = await open('/outbox.html');
    await page.type(['#crm', '[name="name"]'], 'Ada');
    await page.type(['#crm', '[name="email"]'], 'ada@example.com');
    await page.select(['#crm', '[name="topic"]'], 'support');
    await page.click(['#crm', 'button'], 'Reject all');
    const { receiptId } = (await nextEvent(page, 'submit')).detail;
    await page.waitFor((id) => window.__events.some((e) => e.kind === 'delivery' && e.detail.receiptId === id && e.detail.state === 'queued'),
      10_000, 'queued', receiptId);
    await page.goto('about:blank');
    crm.state.plan = [];
    const accepted = () => crm.state.requests.filter((r) => r.key === receiptId && r.answer === 200).length;
    assert.equal(accepted(), 0);
    await page.goto(url('/outbox.html'));
    const until = Date.now() + 15_000;
    while (accepted() === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(accepted(), 1, 'sent on the next page load');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(accepted(), 1, 'once');
    const body = JSON.parse(crm.state.requests.find((r) => r.answer === 200).body);
    assert.deepEqual(Object.keys(body.fields).sort(), ['email', 'name', 'topic'], 'only what Reject all lets through');
    await page.close();
  });

  test(`${engineName}: the receipt viewer checks a receipt and refuses a changed one`, async () => {
    const page = await open();
    await fillRendered(page);
    await page.click([...RENDERED, 'button'], 'Send with my choices');
    const { receipt } = (await nextEvent(page, 'submit')).detail;
    await page.goto(url('/receipt.html'));
    const check = async (text) => {
      await page.evaluate((t) => { document.getElementById('jws').value = t; delete document.getElementById('verdict').dataset.valid; }, text);
      await page.click(['button'], 'Check receipt');
      await page.waitFor(() => document.getElementById('verdict').dataset.valid, 10_000, 'a verdict');
      return page.evaluate(() => document.getElementById('verdict').textContent);
    };
    assert.match(await check(receipt), /^Valid/);
    const [head, , signature] = receipt.split('.');
    const changed = receiptPayload(receipt);
    changed.consentCapture.decisions[2].decision = 'granted';
    assert.equal(await check(`${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`), 'Not valid: signature: does not verify');
    await page.close();
  });

  test(`${engineName}: under the strict CSP the demo runs styled, submits and verifies with no violation reported (and a violation would be)`, async () => {
    violations.length = 0;
    const page = await open();
    await fillRendered(page);
    // The stylesheet the module carries, adopted as a constructed sheet: style-src 'self' does not block it.
    const accent = await page.evaluate(() => getComputedStyle(document.querySelector('#rendered').shadowRoot.querySelector('.cc-button')).backgroundColor);
    assert.equal(accent, 'rgb(11, 87, 208)');
    await page.click([...RENDERED, 'button'], 'Accept all');
    await nextEvent(page, 'submit');
    await page.goto(url('/receipt.html'));
    await page.find(['button'], 'Check receipt');
    await page.goto(url('/violating.html'));
    const until = Date.now() + 10_000;
    while (!violations.some((v) => v?.['document-uri']?.endsWith('/violating.html')) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.notEqual(await page.evaluate(() => document.title), 'ran', 'the inline script was blocked');
    assert.ok(violations.some((v) => v?.['document-uri']?.endsWith('/violating.html')), `${engineName} reports violations`);
    assert.deepEqual(violations.filter((v) => !v?.['document-uri']?.endsWith('/violating.html')), []);
    await page.close();
  });

  for (const language of ['en', 'ar']) {
    test(`${engineName}: axe finds no WCAG 2.2 AA violation in render and enhance mode (${language})`, async () => {
      const page = await open();
      await page.select(['#language'], language);
      await page.waitFor((lang) => [...document.querySelectorAll('consent-capture')].every((el) => {
        const rootNode = el.shadowRoot?.querySelector('.cc-root')
          ?? document.querySelector('#signup .consent-capture-choices')?.shadowRoot?.querySelector('.cc-root');
        return rootNode?.getAttribute('lang') === lang;
      }), 10_000, language, language);
      // The drivers evaluate outside the page's CSP, as DevTools does.
      await page.evaluate(new Function(`${axeSource}\nreturn true;`));
      const violated = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
        .then((result) => result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)), WCAG_22_AA);
      assert.deepEqual(violated, []);
      // And axe sees inside the shadow roots in this engine: an unlabelled input planted there is reported.
      const planted = await page.evaluate(() => {
        document.querySelector('#rendered').shadowRoot.querySelector('form').append(document.createElement('input'));
        return window.axe.run(document, { runOnly: { type: 'rule', values: ['label'] } }).then((result) => result.violations.map((v) => v.id));
      });
      assert.deepEqual(planted, ['label']);
      await page.close();
    });
  }

  test(`${engineName}: the testing kit submits in render and enhance mode and verifies the receipts`, async () => {
    const page = await open();
    const submit = (target, options) => page.evaluate(([t, o]) => import('/dist/testing.js')
      .then(({ submitConsent }) => submitConsent(t, o))
      .then((r) => ({ valid: r.valid, reason: r.reason, manifest: r.manifest, decisions: r.claims.consentCapture.decisions }),
        (error) => ({ error: String(error.message) })), [target, options]);
    const rendered = await submit('#rendered', {
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd', topic: 'support' },
      choices: { newsletter: false },
    });
    assert.equal(rendered.valid, true, rendered.reason ?? rendered.error);
    assert.equal(rendered.manifest.find((m) => m.field === 'company').outcome, 'dropped');
    const enhanced = await submit('#enhanced', { fields: { name: 'Grace', email: 'grace@example.com', topic: 'sales' }, action: 'accept-all' });
    assert.equal(enhanced.valid, true, enhanced.reason ?? enhanced.error);
    assert.ok(enhanced.decisions.filter((d) => d.legalBasis === 'consent').every((d) => d.decision === 'granted'));
    const unknown = await submit('#rendered', { fields: { shoe_size: '42' } });
    assert.match(unknown.error, /no field named shoe_size/);
    await page.close();
  });

  return { runGuideBlock };
}
