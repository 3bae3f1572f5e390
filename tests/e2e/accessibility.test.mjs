// WCAG 2.2 AA: axe-core finds nothing on the demo (render and enhance mode, every language), a person can
// fill and send the form with the keyboard alone, focus is visible, targets are at least 24 px, and the form
// reflows at 320 CSS px (400 % zoom of a 1280 px window).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nextEvent, open, receiptPayload, start, testPage } from './browser.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, WCAG_22_AA);
}

for (const language of ['en', 'de', 'ar']) {
  test(`axe finds no WCAG 2.2 AA violation in render and enhance mode (${language})`, async () => {
    const { page, context } = await open(env);
    await page.selectOption('#language', language);
    await page.waitForFunction((lang) => [...document.querySelectorAll('consent-capture')].every((el) => {
      const root = el.shadowRoot?.querySelector('.cc-root') ?? document.querySelector('#signup .consent-capture-choices')?.shadowRoot?.querySelector('.cc-root');
      return root?.getAttribute('lang') === lang;
    }), language);
    assert.deepEqual(await axeViolations(page), []);
    // The error state too: every message tied to its field.
    await page.locator('#rendered').getByRole('button').last().click();
    await page.locator('#rendered [role=alert]:not(:empty)').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });
}

const deepActive = () => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

async function tabTo(page, predicate, limit = 40) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${predicate})((${deepActive})())`)) return;
  }
  throw new Error(`no focusable element matched ${predicate}`);
}

test('the form can be filled and sent with the keyboard alone, with focus always visible', async () => {
  const { page, context } = await open(env);
  await page.locator('#rendered form').waitFor();
  await tabTo(page, (el) => el?.name === 'name');
  await page.keyboard.type('Ada Lovelace');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Analytical Engines Ltd');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.type('020 7946 0000');
  // Past the birth date (its segments and picker button are stops in Chromium) and the postcode: the newsletter
  // choice follows the fields.
  await tabTo(page, (el) => el?.id === 'cc-purpose-1', 8);
  await page.keyboard.press('Space');
  const outline = await page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const style = getComputedStyle(a);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.notEqual(outline.style, 'none', 'keyboard focus is visible');
  assert.ok(outline.width >= 2);
  await tabTo(page, (el) => el?.value === 'save');
  await page.keyboard.press('Enter');
  const { detail } = await nextEvent(page, 'submit');
  assert.equal(detail.payload.company, 'Analytical Engines Ltd', 'the newsletter was ticked with Space');
  assert.equal(detail.payload.topic, 'sales');
  await context.close();
});

test('Enter in a field sends with the choices as they are, never accepting all', async () => {
  const { page, context } = await open(env);
  await page.locator('#rendered form').waitFor();
  await tabTo(page, (el) => el?.name === 'name');
  for (const text of ['Ada', 'ada@example.com', 'Engines']) {
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const { detail } = await nextEvent(page, 'submit');
  assert.deepEqual(receiptPayload(detail.receipt).consentCapture.decisions.map((d) => d.decision), ['not-asked', 'denied', 'denied']);
  await context.close();
});

test('targets are at least 24 by 24 CSS px', async () => {
  const { page, context } = await open(env);
  await page.locator('#rendered form').waitFor();
  const sizes = await page.locator('#rendered').evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('input, select, button')].map((c) => {
      const r = c.getBoundingClientRect();
      return { id: c.id || c.value, width: r.width, height: r.height };
    }));
  for (const size of sizes) assert.ok(size.width >= 24 && size.height >= 24, JSON.stringify(size));
  await context.close();
});

test('at 320 CSS px wide (400 % zoom) nothing needs horizontal scrolling', async () => {
  const routes = { '/narrow.html': { body: testPage('<consent-capture id="narrow" notice="/demo/notice.json"></consent-capture>') } };
  const { page, context } = await open(env, '/narrow.html', { routes, contextOptions: { viewport: { width: 320, height: 640 } } });
  await page.locator('#narrow form').waitFor();
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, JSON.stringify(widths));
  const overflowing = await page.locator('#narrow').evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('*')].filter((n) => n.getBoundingClientRect().right > window.innerWidth + 0.5).map((n) => n.tagName));
  assert.deepEqual(overflowing, []);
  await context.close();
});

test('the axe scan sees inside the shadow roots (a planted unlabelled input is reported)', async () => {
  const { page, context } = await open(env);
  await page.locator('#rendered form').waitFor();
  await page.locator('#rendered').evaluate((el) => el.shadowRoot.querySelector('fieldset').append(document.createElement('input')));
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.startsWith('label:')), JSON.stringify(violations));
  await context.close();
});
