// White-label theming: a page restyles the form's fields, labels, inputs, error texts and choices through
// ::part() from its own stylesheet, and no page rule can take text under 16 px or controls under an
// accessible size (rules marked !important inside the shadow root win over any ::part rule outside it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, start, testPage } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

// A theme that restyles every new part, and tries to shrink text, buttons and checkboxes below the floor.
const THEME = `consent-capture::part(field) { border: 1px solid rgb(1, 1, 1); }
consent-capture::part(label) { color: rgb(2, 2, 2); font-size: 9px; }
consent-capture::part(input) { background: rgb(3, 3, 3); font-size: 10px; }
consent-capture::part(message) { color: rgb(4, 4, 4); font-size: 8px; }
consent-capture::part(choice) { accent-color: rgb(5, 5, 5); min-width: 0; min-height: 0; width: 8px; height: 8px; }
consent-capture::part(choice-label) { color: rgb(6, 6, 6); }
consent-capture::part(button) { min-height: 0; height: 20px; font-size: 8px; }
consent-capture::part(root) { font-size: 10px; }
`;

async function themed(theme) {
  const routes = {
    '/themed.html': { body: testPage('<link rel="stylesheet" href="/theme.css"><consent-capture notice="/demo/notice.json" lang="en"></consent-capture>') },
    '/theme.css': { body: theme, type: 'text/css' },
  };
  const { page, context } = await open(env, '/themed.html', { routes });
  await page.locator('consent-capture form').waitFor();
  return { page, context };
}

test('a page restyles fields, labels, inputs, error texts and choices through parts, and cannot break the floor', async () => {
  const { page, context } = await themed(THEME);
  const styles = await page.evaluate(() => {
    const shadow = document.querySelector('consent-capture').shadowRoot;
    const style = (selector) => getComputedStyle(shadow.querySelector(selector));
    const size = (selector) => shadow.querySelector(selector).getBoundingClientRect();
    return {
      field: style('[part~="field"]').borderTopColor,
      label: [style('[part~="label"]').color, style('[part~="label"]').fontSize],
      input: [style('[part~="input"]').backgroundColor, style('[part~="input"]').fontSize],
      message: [style('[part~="message"]').color, style('[part~="message"]').fontSize],
      choice: [style('[part~="choice"]').accentColor, size('[part~="choice"]').width >= 24, size('[part~="choice"]').height >= 24],
      choiceLabel: style('[part~="choice-label"]').color,
      button: [style('[part~="button"]').fontSize, size('[part~="button"]').height >= 44],
      description: style('.cc-description').fontSize,
    };
  });
  assert.deepEqual(styles, {
    field: 'rgb(1, 1, 1)',
    label: ['rgb(2, 2, 2)', '16px'],
    input: ['rgb(3, 3, 3)', '16px'],
    message: ['rgb(4, 4, 4)', '16px'],
    choice: ['rgb(5, 5, 5)', true, true],
    choiceLabel: 'rgb(6, 6, 6)',
    button: ['16px', true],
    description: '15.2px', // 0.95 of the root's floored 16 px: secondary text, not a control
  });
  await context.close();
});

test('a theme enlarges the text through --cc-font-size; the floor only stops it shrinking', async () => {
  const { page, context } = await themed('consent-capture { --cc-font-size: 20px; }');
  const sizes = await page.evaluate(() => {
    const shadow = document.querySelector('consent-capture').shadowRoot;
    return ['[part~="input"]', '[part~="label"]', '[part~="button"]'].map((s) => getComputedStyle(shadow.querySelector(s)).fontSize);
  });
  assert.deepEqual(sizes, ['20px', '20px', '20px']);
  await context.close();
});
