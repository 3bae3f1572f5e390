// One small page interface over the three engines' drivers, so that the same flows run in each: Debian's
// Chromium through playwright-core, Firefox ESR through WebDriver BiDi with puppeteer-core, and WebKitGTK's
// MiniBrowser through WebKitWebDriver with selenium-webdriver (it speaks no BiDi; run under xvfb-run). No
// driver downloads a browser or a driver: each is given Debian's binary.
//
// Why not one driver for all three: playwright-core cannot drive Firefox ESR or WebKitGTK (it needs its own
// patched builds, which cannot be downloaded here), puppeteer-core cannot drive WebKit, and selenium-webdriver
// needs geckodriver for Firefox (a cargo build) and drives Chromium with fewer tools than the 85 Chromium
// tests use (routes, offline, init scripts). So each engine keeps the driver that serves it best, and the flows
// see only what all three can do: navigate, evaluate in the page, click, type, choose in a select, press a key.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { Builder, Key } from 'selenium-webdriver';
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/browser.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * In the page: the first element that `path` reaches, each selector looking inside the shadow root of what the
 * one before found (or inside it, when it has none), and whose text, value, aria-label or label is `text`
 * when `text` is given. Evaluated as source, so that every driver runs the same function.
 */
const FIND = `(path, text) => {
  let nodes = [...document.querySelectorAll(path[0])];
  for (const selector of path.slice(1)) nodes = nodes.flatMap((node) => [...(node.shadowRoot ?? node).querySelectorAll(selector)]);
  const named = (node) => [node.textContent, node.value, node.getAttribute('aria-label'), ...[...(node.labels ?? [])].map((l) => l.textContent)]
    .some((name) => typeof name === 'string' && name.trim() === text);
  return nodes.find((node) => text === undefined || named(node)) ?? null;
}`;

const describe = (path, text) => `${path.join(' >> ')}${text === undefined ? '' : ` named "${text}"`}`;

/** The source of an expression calling `fn` (a function or its source) with `args`, as JSON. */
const call = (fn, ...args) => `(${fn})(${args.map((arg) => JSON.stringify(arg) ?? 'undefined').join(', ')})`;

/** Starts `engine` and resolves to `{ name, newPage(), close() }`. */
export async function launch(engine) {
  if (engine === 'chromium') return launchChromium();
  if (engine === 'firefox') return launchFirefox();
  if (engine === 'webkit') return launchWebKit();
  throw new Error(`unknown engine ${engine}`);
}

/**
 * What every page offers. `driver` is the driver's own page (Playwright's or Puppeteer's) or session (Selenium's),
 * for the testing guide's snippets. `evaluate(fn, arg)` runs `fn(arg)` in the page (awaiting a promise) and returns its
 * JSON-able result; `element(path, text)` is the driver's handle of what FIND reaches, for `click` and `type`,
 * which act through the driver's input (real pointer and key events, not synthetic ones).
 */
function page({ driver, goto, evaluate, element, click, type, press, close }) {
  const api = {
    driver,
    goto,
    evaluate,
    press,
    close,
    /**
     * The element once it is there, has a box and has kept it for one poll: a form still taking its styles moves
     * under a pointer, and drivers other than Playwright do not wait for that themselves.
     */
    async find(path, text, timeout = 10_000) {
      const box = new Function(`const node = ${call(FIND, path, text)};
        const rect = node?.getBoundingClientRect();
        return rect && rect.width > 0 && rect.height > 0 ? [rect.x, rect.y + scrollY, rect.width, rect.height].join() : null;`);
      const until = Date.now() + timeout;
      for (let last = null; ;) {
        const current = await evaluate(box);
        if (current !== null && current === last) return element(path, text);
        if (Date.now() > until) throw new Error(`waited ${timeout} ms for ${describe(path, text)} to be shown and still`);
        last = current;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async click(path, text) { await click(await api.find(path, text)); },
    /**
     * Chooses `value` in the select at `path` as a person's choice does (the value, then input and change): the
     * three drivers differ on native select popups.
     */
    async select(path, value) {
      await api.find(path);
      await evaluate(new Function(`const node = ${call(FIND, path)};
        node.value = ${JSON.stringify(value)};
        node.dispatchEvent(new Event('input', { bubbles: true }));
        node.dispatchEvent(new Event('change', { bubbles: true }));`));
    },
    async type(path, value, text) { await type(await api.find(path, text), value); },
    /** Resolves once `predicate` (page source, or a function given `arg`) is true in the page. */
    async waitFor(predicate, timeout = 10_000, what = String(predicate), arg) {
      const until = Date.now() + timeout;
      const source = typeof predicate === 'function' ? predicate : new Function(`return ${predicate};`);
      for (;;) {
        if (await evaluate(source, arg)) return;
        if (Date.now() > until) throw new Error(`waited ${timeout} ms for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  return api;
}

async function launchChromium() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  return {
    name: 'chromium',
    async newPage() {
      const context = await browser.newContext();
      const tab = await context.newPage();
      return page({
        driver: tab,
        goto: (url) => tab.goto(url),
        evaluate: (fn, arg) => tab.evaluate(fn, arg),
        element: async (path, text) => (await tab.evaluateHandle(call(FIND, path, text))).asElement(),
        click: (handle) => handle.click(),
        type: async (handle, value) => { await handle.click(); await tab.keyboard.type(value); },
        press: (key) => tab.keyboard.press(key),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

async function launchFirefox() {
  // WebDriver BiDi (puppeteer's default for Firefox); the profile is a fresh temporary one per launch.
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  return {
    name: 'firefox',
    async newPage() {
      const context = await browser.createBrowserContext();
      const tab = await context.newPage();
      // A tab in the background gets no layout updates for the driver's visibility checks: put it in front.
      await tab.bringToFront();
      return page({
        driver: tab,
        goto: (url) => tab.goto(url),
        evaluate: (fn, arg) => tab.evaluate(fn, arg),
        element: (path, text) => tab.evaluateHandle(call(FIND, path, text)),
        click: (handle) => handle.click(),
        type: async (handle, value) => { await handle.click(); await tab.keyboard.type(value); },
        press: (key) => tab.keyboard.press(key),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

const SELENIUM_KEYS = { Enter: Key.ENTER, Tab: Key.TAB, Space: Key.SPACE, Escape: Key.ESCAPE };

async function launchWebKit() {
  // WebKitWebDriver on a free loopback port; each page is a session of its own (a fresh MiniBrowser, as a fresh
  // context elsewhere). The driver process stops with close(), or with this process. Given a server, Selenium
  // never runs its selenium-manager, which would look for drivers to download.
  const port = await freePort();
  const driverProcess = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  const stop = () => driverProcess.kill();
  process.once('exit', stop);
  await waitForPort(port);
  const sessions = new Set();
  return {
    name: 'webkit',
    async newPage() {
      // A MiniBrowser that cannot start (no display) leaves the driver waiting for it without an answer: bounded,
      // so that a test fails saying so instead of hanging.
      const driver = await within(DRIVER_ANSWER_MS, new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }).build(), `MiniBrowser did not start within ${DRIVER_ANSWER_MS} ms (is there a display? make test-engines runs xvfb-run)`);
      sessions.add(driver);
      return page({
        driver,
        goto: (url) => driver.get(url),
        evaluate: (fn, arg) => driver.executeScript(`return ${call(fn, arg)};`),
        element: (path, text) => driver.executeScript(`return ${call(FIND, path, text)};`),
        click: (element) => element.click(),
        type: (element, value) => element.sendKeys(value),
        press: (key) => driver.actions().sendKeys(SELENIUM_KEYS[key] ?? key).perform(),
        close: async () => { sessions.delete(driver); await driver.quit(); },
      });
    },
    async close() {
      // The driver process stops whatever its sessions answer, or whether they answer at all.
      for (const driver of sessions) await within(DRIVER_ANSWER_MS, driver.quit(), 'quit').catch(() => {});
      stop();
    },
  };
}

// How long WebKitWebDriver may take to start or end a session (a MiniBrowser starts in about a second).
const DRIVER_ANSWER_MS = 30_000;

/** `promise`, or a rejection saying `what` once `ms` have passed without it settling. */
function within(ms, promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

async function waitForPort(port, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > until) throw new Error(`WebKitWebDriver did not answer on port ${port} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
