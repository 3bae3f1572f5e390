// The form rendered ahead of time (`consent-capture render`, the embed `make dist` prints): drawn at parse
// time without the wasm, taken over by the element without a shift, every press before then held and carried
// out (never sent natively or unminimised), hostile strings text, the strict CSP kept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embed, rendered as drawn, withHashes } from '../../tools/embed.mjs';
import { integrity } from '../../tools/integrity.mjs';
import { CSP } from '../../tools/serve.mjs';
import { CLI, cli, DEMO_NOTICE, HOSTILE, hostileNotice, nextEvent, open, receiptPayload, start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const scratch = mkdtempSync(join(tmpdir(), 'cc-prerendered-'));
const NOTICE_FILE = new URL('../../www/demo/notice.json', import.meta.url).pathname;

const DIST = new URL('../../www/dist', import.meta.url).pathname;
const STYLESHEET_INTEGRITY = integrity(`${DIST}/consent-capture.css`);
const EMBED = embed({ folder: DIST, base: '/dist/', notice: '/demo/notice.json' });

/**
 * What `consent-capture render` prints for `notice` (a file) in `lang`, enhancing `form` when given: as
 * `make dist` draws it, with the stylesheet in it; `linked`, with a link to the stylesheet, pinned.
 */
function rendered(notice, { lang = 'en', form, noticeUrl = '/demo/notice.json', linked = false } = {}) {
  if (!linked) return drawn({ cli: CLI, folder: DIST, noticeFile: notice, notice: noticeUrl, lang, form });
  const args = ['render', notice, '--notice-url', noticeUrl, '--stylesheet', '/dist/consent-capture.css',
    '--stylesheet-integrity', STYLESHEET_INTEGRITY, '--lang', lang];
  const { code, out } = cli(...args, ...(form ? ['--for', form] : []));
  assert.equal(code, 0, out);
  return out.trim();
}

/**
 * The recommended embed as a route: the module and the early script (in the page, as make dist prints it),
 * the markup between page text, and the strict CSP with the embed's hashes.
 */
function page(markup, siteForm = '') {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pre-rendered</title>
<script type="module" src="/dist/consent-capture.js"></script>
${EMBED.early}</head>
<body><h1>Sign up</h1>${siteForm || markup}<p id="below">Text below the form.</p></body></html>`;
  return { body, csp: withHashes(CSP, EMBED.hashes) };
}

const SITE_FORM = (choices) => `<form id="signup" action="/subscribe" method="post">
<label for="s-name">Your name</label> <input id="s-name" name="name">
<label for="s-email">E-mail address</label> <input id="s-email" name="email" type="email">
<label for="s-topic">Topic</label> <select id="s-topic" name="topic"><option value="sales">sales</option></select>
${choices}<button type="submit">Sign up</button></form>`;

// Layout shifts not caused by input, summed, from the first paint on.
function watchShifts() {
  window.__shift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
}

/** A context whose requests for the element's wasm wait until `release()`. */
async function heldWasm() {
  const context = await env.browser.newContext();
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await context.route(`${env.origin}/dist/consent_capture_bg.wasm`, async (route) => { await released; await route.continue(); });
  return { context, release };
}

const ready = (page, selector) => page.waitForFunction((s) => document.querySelector(s).ready === true, selector);

test('the form is drawn, styled, without the wasm; pressing Enter in it before then sends nothing and is carried out after', async () => {
  const { context, release } = await heldWasm();
  const routes = { '/pre.html': page(rendered(NOTICE_FILE)) };
  const { page: tab, requests } = await open(env, '/pre.html', { routes, context, init: watchShifts });
  const form = tab.locator('consent-capture form');
  await form.getByRole('button', { name: 'Accept all' }).waitFor();
  const drawn = await tab.evaluate(() => {
    const element = document.querySelector('consent-capture');
    const button = element.shadowRoot.querySelector('button[value="accept-all"]');
    window.__nameField = element.shadowRoot.getElementById('cc-field-0');
    return { ready: element.ready === true, background: getComputedStyle(button).backgroundColor, height: button.getBoundingClientRect().height > 0 };
  });
  assert.deepEqual(drawn, { ready: false, background: 'rgb(11, 87, 208)', height: true });
  assert.equal(requests.filter((url) => url.endsWith('.wasm')).length, 1, 'the wasm is asked for, and held');

  await form.getByLabel('Your name').fill('Ada Lovelace');
  await form.getByLabel('E-mail address').fill('ada@example.com');
  await form.getByLabel('Company').fill('Analytical Engines Ltd');
  await form.getByLabel('Topic').selectOption('support');
  await form.getByLabel('Monthly newsletter').check();
  await form.getByLabel('E-mail address').press('Enter');
  await tab.waitForTimeout(200);
  assert.equal(await tab.locator('consent-capture').getAttribute('data-held-action'), 'save');
  assert.deepEqual(await tab.evaluate(() => window.__events), [], 'nothing submitted before the element is ready');
  assert.equal(new URL(tab.url()).pathname, '/pre.html', 'no native submission');

  release();
  const { detail } = await nextEvent(tab, 'submit');
  assert.deepEqual(detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd', topic: 'support' });
  const decisions = receiptPayload(detail.receipt).consentCapture.decisions;
  assert.deepEqual(decisions.filter((d) => d.decision === 'granted').map((d) => d.purpose), ['newsletter']);
  const after = await tab.evaluate(() => ({
    sameNode: document.querySelector('consent-capture').shadowRoot.getElementById('cc-field-0') === window.__nameField,
    held: document.querySelector('consent-capture').hasAttribute('data-held-action'),
    shift: window.__shift,
    violations: window.__cspViolations,
  }));
  assert.deepEqual(after, { sameNode: true, held: false, shift: 0, violations: [] });
  await context.close();
});

test('typing across the moment the element takes over keeps focus and caret, and Accept all held before grants all', async () => {
  const { context, release } = await heldWasm();
  const routes = { '/pre.html': page(rendered(NOTICE_FILE)) };
  const { page: tab } = await open(env, '/pre.html', { routes, context, init: watchShifts });
  const form = tab.locator('consent-capture form');
  const name = form.getByLabel('Your name');
  await name.fill('Ada');
  release();
  await ready(tab, 'consent-capture');
  await tab.keyboard.type(' Lovelace');
  assert.equal(await name.inputValue(), 'Ada Lovelace');
  await form.getByLabel('E-mail address').fill('ada@example.com');
  await form.getByLabel('Topic').selectOption('sales');
  await form.getByRole('button', { name: 'Accept all' }).click();
  const { detail } = await nextEvent(tab, 'submit');
  assert.equal(detail.payload.name, 'Ada Lovelace');
  assert.deepEqual(await tab.evaluate(() => window.__shift), 0);
  await context.close();

  // Accept all pressed while the wasm is still on its way.
  const held = await heldWasm();
  const second = await open(env, '/pre.html', { routes, context: held.context });
  const early = second.page.locator('consent-capture form');
  await early.getByLabel('Your name').fill('Ada Lovelace');
  await early.getByLabel('E-mail address').fill('ada@example.com');
  await early.getByLabel('Topic').selectOption('sales');
  await early.getByRole('button', { name: 'Accept all' }).click();
  await second.page.waitForTimeout(200);
  assert.deepEqual(await second.page.evaluate(() => window.__events), []);
  held.release();
  const submitted = await nextEvent(second.page, 'submit');
  assert.equal(submitted.detail.payload.company, undefined, 'nothing typed there');
  assert.equal(await early.getByLabel('Monthly newsletter').isChecked(), true);
  assert.equal(await early.getByLabel('Personalised advertising').isChecked(), true);
  await held.context.close();
});

test('the element takes the drawn form over as its own: the same elements as it renders itself, in every language', async () => {
  for (const lang of ['en', 'de', 'ar']) {
    const markup = rendered(NOTICE_FILE, { lang });
    const body = `${markup}<consent-capture id="live" notice="/demo/notice.json" lang="${lang}"></consent-capture>`;
    const routes = { '/both.html': page(body) };
    const { page: tab, context } = await open(env, '/both.html', { routes });
    await ready(tab, 'consent-capture:not(#live)');
    await ready(tab, '#live');
    const trees = await tab.evaluate(() => {
      const describe = (node) => (node.nodeType === Node.TEXT_NODE ? node.data : `<${node.localName} ${[...node.attributes]
        .filter((a) => a.name !== 'data-notice').map((a) => `${a.name}=${a.value}`).sort().join(' ')}>${[...node.childNodes].map(describe).join('')}`);
      const [drawn, live] = document.querySelectorAll('consent-capture');
      return [drawn, live].map((element) => describe(element.shadowRoot.querySelector('.cc-root')));
    });
    assert.equal(trees[0], trees[1], `${lang}: the drawn form is the element's own`);
    await context.close();
  }
});

test('enhance mode: the drawn choices are taken over, and the site form pressed before then is held, never sent natively', async () => {
  const { context, release } = await heldWasm();
  const choices = rendered(NOTICE_FILE, { form: 'signup' });
  const routes = { '/enhance.html': page('', SITE_FORM(choices)) };
  const { page: tab, requests } = await open(env, '/enhance.html', { routes, context, init: watchShifts });
  await tab.locator('#signup').getByLabel('Monthly newsletter').check();
  await tab.locator('#signup').getByLabel('Your name').fill('Ada Lovelace');
  await tab.locator('#signup').getByLabel('E-mail address').fill('ada@example.com');
  await tab.locator('#signup').getByRole('button', { name: 'Sign up' }).click();
  await tab.waitForTimeout(200);
  assert.equal(new URL(tab.url()).pathname, '/enhance.html');
  assert.deepEqual(requests.filter((url) => url.includes('/subscribe')), []);
  release();
  const { detail } = await nextEvent(tab, 'submit');
  assert.deepEqual(detail.payload, { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'sales' });
  const state = await tab.evaluate(() => ({
    slots: document.querySelectorAll('#signup .consent-capture-choices').length,
    newsletter: document.querySelector('#signup .consent-capture-choices').shadowRoot.getElementById('cc-purpose-1').checked,
    shift: window.__shift,
  }));
  assert.deepEqual(state, { slots: 1, newsletter: true, shift: 0 });
  await context.close();
});

test('hostile strings in every text of a notice stay text in the drawn markup, before and after the element takes it over', async () => {
  const notice = hostileNotice();
  const file = join(scratch, 'hostile.json');
  writeFileSync(file, JSON.stringify(notice));
  const markup = rendered(file, { noticeUrl: '/hostile.json' });
  const routes = {
    '/hostile.html': page(markup),
    '/hostile.json': { body: JSON.stringify(notice), type: 'application/json' },
  };
  const { context, release } = await heldWasm();
  const { page: tab, dialogs } = await open(env, '/hostile.html', { routes, context });
  const inspect = () => tab.evaluate(() => {
    const element = document.querySelector('consent-capture');
    return {
      injected: document.querySelectorAll('img, body script, [onclick]').length
        + element.shadowRoot.querySelectorAll('img, script, a[href^="javascript"], [onclick], [onerror]').length,
      shown: element.shadowRoot.querySelector('label[for=cc-purpose-1]').textContent,
      button: element.shadowRoot.querySelector('button[value="accept-all"]').textContent,
    };
  });
  await tab.locator('consent-capture form').waitFor();
  const expected = { injected: 0, shown: `${HOSTILE} en`, button: HOSTILE };
  assert.deepEqual(await inspect(), expected);
  release();
  await ready(tab, 'consent-capture');
  assert.deepEqual(await inspect(), expected);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(await tab.evaluate(() => window.__cspViolations), []);
  await context.close();
});

/** A file with the demo notice under an older revision: what is drawn from it is not the notice the page serves. */
function olderNotice() {
  const older = structuredClone(DEMO_NOTICE);
  older.revision = '2000-01-01';
  const file = join(scratch, 'older.json');
  writeFileSync(file, JSON.stringify(older));
  return file;
}

test('a drawn form of another notice revision: typed text kept, but no tick and no held press counts', async () => {
  const { context, release } = await heldWasm();
  const routes = { '/stale.html': page(rendered(olderNotice())) };
  const { page: tab, warnings } = await open(env, '/stale.html', { routes, context });
  const form = tab.locator('consent-capture form');
  await form.getByLabel('Your name').fill('Ada Lovelace');
  await form.getByLabel('Monthly newsletter').check();
  await form.getByRole('button', { name: 'Accept all' }).click();
  release();
  await ready(tab, 'consent-capture');
  await tab.waitForTimeout(300);
  assert.deepEqual(await tab.evaluate(() => window.__events), [], 'the press made on other wording is not carried out');
  assert.equal(await form.getByLabel('Your name').inputValue(), 'Ada Lovelace');
  assert.equal(await form.getByLabel('Monthly newsletter').isChecked(), false);
  assert.ok(warnings.some((w) => /not of this notice/.test(w)), warnings.join('\n'));
  await context.close();
});

test('choices drawn from another notice revision in enhance mode are replaced in place: one set of choices, nothing ticked', async () => {
  const routes = { '/stale-enhance.html': page('', SITE_FORM(rendered(olderNotice(), { form: 'signup' }))) };
  const { context, release } = await heldWasm();
  const { page: tab } = await open(env, '/stale-enhance.html', { routes, context });
  await tab.locator('#signup').getByLabel('Monthly newsletter').check();
  release();
  await ready(tab, 'consent-capture');
  const state = await tab.evaluate(() => ({
    slots: document.querySelectorAll('#signup .consent-capture-choices').length,
    next: document.querySelector('#signup .consent-capture-choices').nextElementSibling.localName,
    ticked: document.querySelector('#signup .consent-capture-choices').shadowRoot.getElementById('cc-purpose-1').checked,
  }));
  assert.deepEqual(state, { slots: 1, next: 'consent-capture', ticked: false });
  await context.close();
});

test('a stylesheet changed on its way is refused, in the drawn form and by the element itself: the choices stay as the notice has them', async () => {
  // Hides Reject all and the choices, and says so in a colour no real stylesheet of ours uses.
  const changed = '.cc-button { background: rgb(1, 2, 3); } button[value="reject-all"], .cc-purpose { display: none; }';
  for (const markup of [rendered(NOTICE_FILE, { linked: true }), '<consent-capture notice="/demo/notice.json" lang="en"></consent-capture>']) {
    const context = await env.browser.newContext();
    await context.route(`${env.origin}/dist/consent-capture.css`, (route) => route.fulfill({ body: changed, contentType: 'text/css' }));
    const routes = { '/pre.html': page(markup) };
    const { page: tab } = await open(env, '/pre.html', { routes, context });
    await ready(tab, 'consent-capture');
    const shown = await tab.evaluate(() => {
      const shadow = document.querySelector('consent-capture').shadowRoot;
      const reject = shadow.querySelector('button[value="reject-all"]');
      return {
        links: [...shadow.querySelectorAll('link')].map((link) => link.getAttribute('integrity')?.slice(0, 7)),
        background: getComputedStyle(reject).backgroundColor,
        reject: reject.checkVisibility(),
        choices: [...shadow.querySelectorAll('.cc-purpose')].every((purpose) => purpose.checkVisibility()),
      };
    });
    const { background, ...rest } = shown;
    assert.notEqual(background, 'rgb(1, 2, 3)', `the changed stylesheet was applied: ${markup.slice(0, 40)}`);
    // The drawn form keeps its pinned link; the element alone carries its stylesheet and links none.
    assert.deepEqual(rest, { links: markup.includes('<link') ? ['sha384-'] : [], reject: true, choices: true });
    await context.close();
  }
});

test('the stylesheet drawn in the form is pinned by the page CSP: one changed is refused, and the choices stay', async () => {
  const changed = '.cc-button { background: rgb(1, 2, 3); } button[value="reject-all"], .cc-purpose { display: none; }';
  const markup = rendered(NOTICE_FILE).replace(/<style>[^<]*<\/style>/, `<style>${changed}</style>`);
  assert.ok(markup.includes(changed), 'the drawn form had its stylesheet inline');
  const { page: tab, context } = await open(env, '/pre.html', { routes: { '/pre.html': page(markup) } });
  await ready(tab, 'consent-capture');
  const shown = await tab.evaluate(() => {
    const shadow = document.querySelector('consent-capture').shadowRoot;
    const reject = shadow.querySelector('button[value="reject-all"]');
    return {
      background: getComputedStyle(reject).backgroundColor,
      reject: reject.checkVisibility(),
      choices: [...shadow.querySelectorAll('.cc-purpose')].every((purpose) => purpose.checkVisibility()),
      violations: window.__cspViolations.map((v) => v.split(' ')[0]),
    };
  });
  // Refused by the CSP; once live, the element styles the form with the stylesheet its module carries.
  assert.deepEqual(shown, { background: 'rgb(11, 87, 208)', reject: true, choices: true, violations: ['style-src-elem'] });
  await context.close();
});
