// The bundler matrix: the npm package as a CRM vendor's app takes it, built by Vite, webpack, Rollup, esbuild
// and Parcel (pinned in tests/bundlers/package.json), each with its plain production configuration (none at
// all for Vite, webpack and Parcel), served under the strict CSP docs/sites.md gives and used in Chromium: the form renders
// styled, a submission gives a receipt that verifies, the testing guide's recipe for a bundled app runs as
// written, a signed notice loads the verifier module and its wasm, and nothing violates the CSP. The app is tests/bundlers/app; the package is the tarball make package built.
// Then the framework typings: tsc --strict over a React 19 TSX file, vue-tsc over a Vue 3 SFC and ngc over an
// Angular 21 component, each with a JSON notice and typed events (and their misuses must fail), the React component run in Chromium, and a
// server-rendered React page hydrated over the drawn form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serve } from '../../tools/serve.mjs';
import { CHROMIUM_ARGS, CLI, DEMO_NOTICE, chromiumPath, fillDemoFields, guideBlock } from './browser.mjs';
import { chromium } from 'playwright-core';

const repo = new URL('../../', import.meta.url).pathname;
const matrix = join(repo, 'tests/bundlers');
const version = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
const tarball = join(repo, 'target/package', `consent-capture-${version}.tgz`);
const installed = join(matrix, 'node_modules/consent-capture');
const built = join(repo, 'target/bundlers');
const bin = (name) => join(matrix, 'node_modules/.bin', name);

// A page for the bundlers that build JavaScript only: webpack's default output is a classic script (its
// runtime finds its chunks from document.currentScript), Rollup's and esbuild's ES modules.
const page = (script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A vendor's app</title>${script}</head>
<body><p id="verdict"></p></body></html>`;

// What each bundler is given: its command line (cwd tests/bundlers), and what the vendor adds beside its
// output, exactly as docs/crm-vendors.md tells them.
const BUNDLERS = {
  vite: { args: (out) => [bin('vite'), 'build', 'app', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'] },
  webpack: {
    args: (out) => [bin('webpack'), 'build', '--mode', 'production', '--entry', './app/main.js', '--output-path', out],
    page: page('<script defer src="main.js"></script>'),
  },
  rollup: {
    args: (out) => [bin('rollup'), '--config', 'rollup/rollup.config.mjs', '--silent'],
    page: page('<script type="module" src="main.js"></script>'),
  },
  esbuild: {
    args: (out) => [bin('esbuild'), 'app/main.js', '--bundle', '--format=esm', '--splitting', '--minify', '--log-level=warning', `--outdir=${out}`],
    page: page('<script type="module" src="main.js"></script>'),
    // esbuild leaves new URL('./file', import.meta.url) alone: the two wasm files go beside the bundle.
    beside: ['consent_capture_bg.wasm', 'consent_capture_verify_bg.wasm', 'consent_capture_send_bg.wasm'],
  },
  // From a script entry: from an HTML entry Parcel (2.14 and later) writes an inline import map for browsers
  // with import.meta.resolve, which script-src 'self' blocks (parcel-bundler/parcel#10240: it cannot be turned
  // off). Its output is a classic script that finds its chunks itself.
  parcel: {
    // --no-cache: with its cache Parcel writes nothing into an output folder it built before and was emptied.
    args: (out) => [bin('parcel'), 'build', 'app/main.js', '--dist-dir', out, '--no-cache', '--no-source-maps', '--no-autoinstall',
      '--log-level', 'warn'],
    page: page('<script defer src="main.js"></script>'),
  },
};

let browser;
before(async () => {
  // The package as npm would install it, where the apps' imports find it.
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  const unpacked = spawnSync('tar', ['xzf', tarball, '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(unpacked.status, 0, unpacked.stderr);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

/** Builds the app with `name`'s bundler into target/bundlers/<name>; returns the folder and the seconds it took. */
function build(name) {
  const { args, page: html, beside = [] } = BUNDLERS[name];
  const out = join(built, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const [command, ...rest] = args(out);
  const started = performance.now();
  const result = spawnSync(command, rest, { cwd: matrix, encoding: 'utf8', env: { ...process.env, OUT: out, NO_COLOR: '1' } });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(result.status, 0, `${name} failed:\n${result.stdout}${result.stderr}`);
  if (html) writeFileSync(join(out, 'index.html'), html);
  for (const file of beside) copyFileSync(join(installed, file), join(out, file));
  // The site serves its notice and the controller's signature of it.
  for (const file of ['notice.json', 'notice.jws']) copyFileSync(join(repo, 'www/demo', file), join(out, file));
  return { out, seconds };
}

/** Opens `path` of the served app in a fresh context; records CSP violations seen in the page and wasm fetched. */
async function openApp(origin, path) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const wasm = [];
  tab.on('response', (response) => {
    if (response.headers()['content-type'] === 'application/wasm' && response.ok()) wasm.push(response.url());
  });
  await tab.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await tab.goto(origin + path);
  return { context, tab, wasm };
}

/** Fills the form of `element` in `tab`, rejects all, and checks the app's verdict: a receipt id and every
 * purpose's decision, heard through the framework's event handling. */
async function rejectAllAndHear(tab, element) {
  await fillDemoFields(element);
  await element.getByRole('button', { name: 'Reject all' }).click();
  await tab.waitForFunction(() => document.getElementById('verdict').textContent.length > 0);
  const [receiptId, decisions] = (await tab.locator('#verdict').innerText()).split(' ');
  assert.match(receiptId, /^[0-9a-f-]{36}$/);
  assert.equal(Number(decisions), DEMO_NOTICE.purposes.length);
}

for (const name of Object.keys(BUNDLERS)) {
  test(`${name}: the app builds with the plain configuration, renders styled, submits, verifies, runs the testing kit, loads a signed notice`, async () => {
    const { out, seconds } = build(name);
    console.log(`# ${name} built the app in ${seconds.toFixed(1)} s`);
    const reports = [];
    const server = await serve({ root: out, violations: reports });
    const origin = `http://127.0.0.1:${server.address().port}`;
    try {
      const { context, tab, wasm } = await openApp(origin, '/');
      const element = tab.locator('consent-capture');
      await element.locator('form').waitFor();
      const accept = element.getByRole('button', { name: 'Accept all' });
      // Styled: the stylesheet travels in the module, so the buttons have the element's accent and size.
      const style = await accept.evaluate((button) => {
        const { backgroundColor, minBlockSize } = getComputedStyle(button);
        return { backgroundColor, minBlockSize };
      });
      assert.deepEqual(style, { backgroundColor: 'rgb(11, 87, 208)', minBlockSize: '44px' });
      assert.equal(wasm.length, 1, `only the element's wasm before anything is verified: ${wasm}`);
      await fillDemoFields(element);
      await accept.click();
      await tab.waitForFunction(() => document.getElementById('verdict').textContent.length > 0);
      assert.equal(await tab.locator('#verdict').innerText(), 'valid', 'consent-capture/verify, imported when needed');
      assert.deepEqual(await tab.evaluate(() => window.__cspViolations), []);
      await context.close();

      // The testing guide's recipe for a bundled app, as written, from the project folder.
      const kit = await openApp(origin, '/');
      await kit.tab.locator('consent-capture form').waitFor();
      const AsyncFunction = (async () => {}).constructor;
      const cwd = process.cwd();
      process.chdir(matrix);
      try {
        await new AsyncFunction('page', 'assert', guideBlock('Against a bundled app'))(kit.tab, assert);
      } finally {
        process.chdir(cwd);
      }
      await kit.context.close();

      const signed = await openApp(origin, '/?signed');
      const signedElement = signed.tab.locator('consent-capture');
      await signedElement.locator('form').waitFor();
      assert.equal(await signedElement.locator('[part~="error"]').count(), 0);
      assert.equal(signed.wasm.length, 2, `the element's wasm and the verifier's: ${signed.wasm}`);
      assert.deepEqual(await signed.tab.evaluate(() => window.__cspViolations), []);
      await signed.context.close();
      assert.deepEqual(reports, []);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
}

/** The lines of `file` (in tests/bundlers/frameworks) marked `error`, and those a type checker's `out` failed on. */
function failedLines(out, file) {
  // tsc writes `file(line,col): error`, ngc (always in colour) `file:line:col - error`.
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const name = file.split('/').pop().replace('.', '\\.');
  const failing = [...plain.matchAll(new RegExp(`${name}(?:\\((\\d+),\\d+\\):|:(\\d+):\\d+ -) error`, 'g'))].map((m) => Number(m[1] ?? m[2]));
  const marked = readFileSync(join(matrix, 'frameworks', file), 'utf8').split('\n').flatMap((line, i) => (line.includes('error:') ? [i + 1] : []));
  return { failing: [...new Set(failing)], marked };
}

function check(command, args, cwd) {
  const result = spawnSync(bin(command), args, { cwd: join(matrix, 'frameworks', cwd), encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/**
 * Runs `command` (a type checker, in tests/bundlers/frameworks/`folder`) with `right`, which must pass, and with
 * `wrong`, which must fail on exactly the lines of `misuses` marked `error`.
 */
function typeChecks(command, folder, right, wrong, misuses) {
  const passed = check(command, right, folder);
  assert.equal(passed.code, 0, passed.out);
  const refused = check(command, wrong, folder);
  assert.notEqual(refused.code, 0);
  const { failing, marked } = failedLines(refused.out, `${folder}/${misuses}`);
  assert.deepEqual(failing, marked, refused.out);
}

test('React 19: <consent-capture> type-checks in TSX with tsc --strict (attributes, the notice property, typed event props), and misuses fail', () => {
  typeChecks('tsc', 'react', ['--project', 'tsconfig.json'], ['--strict', '--noEmit', '--target', 'ES2022', '--module', 'ESNext',
    '--moduleResolution', 'bundler', '--jsx', 'react-jsx', '--lib', 'ES2022,DOM', 'misuses.tsx'], 'misuses.tsx');
});

test('Angular 21: the documented use compiles with ngc and strictTemplates (CUSTOM_ELEMENTS_SCHEMA, the notice as a property, a typed listener on the template reference), and misuses fail', () => {
  typeChecks('ngc', 'angular', ['-p', 'tsconfig.json'], ['-p', 'tsconfig.misuses.json'], 'misuses.ts');
});

test('Vue 3: <consent-capture> type-checks in an SFC template with vue-tsc, and misuses fail', () => {
  typeChecks('vue-tsc', 'vue', ['--project', 'tsconfig.json'], ['--project', 'tsconfig.misuses.json'], 'Misuses.vue');
});

test('React 19: the component renders the element with its notice object, and its typed event prop hears the submission', async () => {
  const out = join(built, 'react');
  rmSync(out, { recursive: true, force: true });
  const bundled = spawnSync(bin('esbuild'), ['frameworks/react/app.tsx', '--bundle', '--format=esm', '--splitting', '--minify', '--jsx=automatic',
    '--define:process.env.NODE_ENV="production"', '--log-level=warning', `--outdir=${out}`], { cwd: matrix, encoding: 'utf8' });
  assert.equal(bundled.status, 0, bundled.stderr);
  for (const file of ['consent_capture_bg.wasm', 'consent_capture_verify_bg.wasm', 'consent_capture_send_bg.wasm']) copyFileSync(join(installed, file), join(out, file));
  writeFileSync(join(out, 'index.html'), page('<script type="module" src="app.js"></script>').replace('<p id="verdict"></p>', '<div id="app"></div>'));
  const server = await serve({ root: out });
  try {
    const { context, tab } = await openApp(`http://127.0.0.1:${server.address().port}`, '/');
    const element = tab.locator('consent-capture');
    await element.locator('form').waitFor();
    assert.equal(await element.getAttribute('notice'), null, 'React set the notice object as a property');
    await rejectAllAndHear(tab, element);
    assert.deepEqual(await tab.evaluate(() => window.__cspViolations), []);
    await context.close();
  } finally {
    await new Promise((done) => server.close(done));
  }
});

test('React 19 server rendering: the page carries the drawn form, hydrates without a mismatch, and the element takes the form over with what was typed', async () => {
  const out = join(built, 'react-ssr');
  rmSync(out, { recursive: true, force: true });
  const esbuild = (entry, ...options) => {
    const result = spawnSync(bin('esbuild'), [entry, '--bundle', '--jsx=automatic', '--log-level=warning',
      '--define:process.env.NODE_ENV="production"', ...options], { cwd: matrix, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  };
  // The server's bundle takes the package's node condition: importing the element there does nothing.
  esbuild('frameworks/react/server.tsx', '--platform=node', '--format=cjs', `--outfile=${join(out, 'server.cjs')}`);
  esbuild('frameworks/react/client.tsx', '--format=esm', '--splitting', '--minify', `--outdir=${out}`);
  for (const file of ['consent_capture_bg.wasm', 'consent_capture_verify_bg.wasm', 'consent_capture_send_bg.wasm', 'consent-capture.css', 'consent-capture-early.js']) {
    copyFileSync(join(installed, file), join(out, file));
  }
  for (const file of ['notice.json', 'notice.jws']) copyFileSync(join(repo, 'www/demo', file), join(out, file));
  const drawing = spawnSync(CLI, ['render', join(repo, 'www/demo/notice.json'), '--notice-url', '/notice.json',
    '--stylesheet', '/consent-capture.css', '--lang', 'en'], { encoding: 'utf8' });
  assert.equal(drawing.status, 0, drawing.stderr);
  const drawn = drawing.stdout.trim();
  const { render } = (await import(join(out, 'server.cjs'))).default;
  const app = render(drawn);
  assert.ok(app.includes('<template shadowrootmode="open">'), 'the server put the drawn form in the page');
  const data = JSON.stringify(drawn).replace(/</g, '\\u003c');
  writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A vendor's server-rendered app</title>
<script src="consent-capture-early.js"></script><script type="module" src="client.js"></script></head>
<body><div id="app">${app}</div><script type="application/json" id="drawn">${data}</script></body></html>`);

  const reports = [];
  const server = await serve({ root: out, violations: reports });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    tab.on('pageerror', (error) => errors.push(String(error)));
    // The app's script waits until the person has typed into the form the server drew.
    let release;
    const released = new Promise((done) => { release = done; });
    await tab.route(`${origin}/client.js`, async (route) => { await released; await route.continue(); });
    await tab.goto(`${origin}/`, { waitUntil: 'commit' });
    const element = tab.locator('consent-capture');
    const name = element.getByLabel('Your name');
    await name.fill('Ada Lovelace');
    await tab.evaluate(() => { document.querySelector('consent-capture').shadowRoot.querySelector('.cc-root').drawnByServer = true; });
    assert.equal(await tab.evaluate(() => customElements.get('consent-capture')), undefined, 'nothing ran yet');
    release();
    await tab.waitForFunction(() => document.querySelector('consent-capture').ready === true);
    assert.equal(await tab.evaluate(() => document.querySelector('consent-capture').shadowRoot.querySelector('.cc-root').drawnByServer), true,
      'the element took over the drawn form as it was');
    assert.equal(await name.inputValue(), 'Ada Lovelace', 'what was typed stays');
    await rejectAllAndHear(tab, element);
    assert.deepEqual(await tab.evaluate(() => window.hydrationErrors), [], 'React hydrated without a mismatch');
    assert.deepEqual(errors, []);
    assert.deepEqual(reports, [], 'no CSP violation');
  } finally {
    await context.close();
    await new Promise((done) => server.close(done));
  }
});

test('vite: the dev server serves the app as it is written (no build): the form renders, submits and verifies', async () => {
  const port = await new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => { const { port: free } = probe.address(); probe.close(() => done(free)); });
  });
  // `timeout` stops it should this test process die first.
  // --force: the package is installed afresh from its tarball under the same version, which Vite's cache of
  // pre-bundled dependencies would not notice.
  const dev = spawn('timeout', ['120', bin('vite'), 'app', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--force'], { cwd: matrix, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise((ready, failed) => {
      let said = '';
      dev.stdout.on('data', (chunk) => { said += chunk; if (said.includes('ready in')) ready(); });
      dev.stderr.on('data', (chunk) => { said += chunk; });
      dev.on('exit', (code) => failed(new Error(`vite stopped (${code}): ${said}`)));
    });
    const context = await browser.newContext();
    const tab = await context.newPage();
    const missing = [];
    tab.on('response', (response) => { if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) missing.push(response.url()); });
    await tab.goto(`http://127.0.0.1:${port}/`);
    const element = tab.locator('consent-capture');
    await element.locator('form').waitFor();
    await fillDemoFields(element);
    await element.getByRole('button', { name: 'Accept all' }).click();
    await tab.waitForFunction(() => document.getElementById('verdict').textContent.length > 0);
    assert.equal(await tab.locator('#verdict').innerText(), 'valid', 'the verifier and its wasm, served by the dev server');
    assert.deepEqual(missing, []);
    await context.close();
  } finally {
    dev.kill();
  }
});
