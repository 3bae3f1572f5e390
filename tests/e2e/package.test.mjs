// The npm package as a CRM vendor takes it: installed from its tarball into a fresh folder, bundled with
// esbuild into an app served on loopback, type-checked with tsc --strict, and verifying receipts in Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../tools/serve.mjs';
import { fillDemoFields, receiptPayload, start } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname;
const version = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
const tarball = join(repo, 'target/package', `consent-capture-${version}.tgz`);
const app = mkdtempSync(join(tmpdir(), 'consent-capture-app-'));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: app, encoding: 'utf8', ...options });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

let env;
let server;
before(async () => {
  cpSync(join(repo, 'tests/e2e/app'), app, { recursive: true });
  copyFileSync(join(repo, 'www/demo/notice.json'), join(app, 'notice.json'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'vendor-app', private: true, type: 'module' }));
  const installed = run('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline']);
  assert.equal(installed.code, 0, installed.out);
  const out = join(app, 'out');
  mkdirSync(out);
  const bundled = run(join(repo, 'node_modules/.bin/esbuild'), ['app.js', '--bundle', '--format=esm', '--log-level=warning', `--outfile=${join(out, 'app.js')}`]);
  assert.equal(bundled.code, 0, bundled.out);
  // esbuild does not copy assets: the two wasm files go beside the bundle (tests/e2e/bundlers.test.mjs has the rest).
  for (const asset of ['consent_capture_bg.wasm', 'consent_capture_verify_bg.wasm']) copyFileSync(join(app, 'node_modules/consent-capture', asset), join(out, asset));
  copyFileSync(join(app, 'index.html'), join(out, 'index.html'));
  env = await start();
  server = await serve({ root: out });
});
after(async () => {
  await env.stop();
  await new Promise((done) => server.close(done));
});

test('the tarball holds the documented files', () => {
  const listed = run('tar', ['tzf', tarball]).out.trim().split('\n').map((f) => f.replace('package/', '')).sort();
  const destinations = readdirSync(new URL('../../destinations/', import.meta.url)).map((file) => `destinations/${file}`);
  assert.ok(destinations.length >= 15, 'every shipped CRM description');
  assert.deepEqual(listed, ['README.md', 'consent-capture-early.js', 'consent-capture-node.js', 'consent-capture-send.js',
    'consent-capture-verify.js', 'consent-capture.css', 'consent-capture.d.ts', 'consent-capture.js', 'consent_capture_bg.wasm',
    'consent_capture_send_bg.wasm', 'consent_capture_verify_bg.wasm', 'destination.schema.json', ...destinations,
    'notice.schema.json', 'package.json', 'react.d.ts', 'testing.d.ts', 'testing.js',
    'texts/ar.json', 'texts/de.json', 'texts/es.json', 'texts/fr.json', 'verify-node.js', 'verify.d.ts', 'verify.js',
    'vue.d.ts'].sort());
});

let receipt;
test('a bundled app renders the form, makes a signed receipt and verifies it', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const element = page.locator('consent-capture');
  await element.locator('form').waitFor();
  await fillDemoFields(element);
  await element.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => document.getElementById('receipt').textContent.length > 0);
  receipt = await page.locator('#receipt').innerText();
  assert.equal(receiptPayload(receipt).version, 'KI-CR-v1.1.0');
  assert.equal(await page.locator('#verdict').innerText(), 'valid', 'consent-capture/verify in the browser bundle');
  await context.close();
});

test('in Node, the verification entry accepts the browser receipt and rejects a tampered one', () => {
  const script = `import { verifyReceipt } from 'consent-capture/verify';
    const [good, bad] = await Promise.all([verifyReceipt(process.argv[1]), verifyReceipt(process.argv[2])]);
    console.log(JSON.stringify({ good: good.valid, bad: bad.valid, reason: bad.reason, version: good.receipt?.version }));`;
  const [head, payload, signature] = receipt.split('.');
  const tampered = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
  const result = run('node', ['--input-type=module', '-e', script, receipt, tampered]);
  assert.equal(result.code, 0, result.out);
  const verdict = JSON.parse(result.out.trim().split('\n').at(-1));
  assert.deepEqual({ good: verdict.good, bad: verdict.bad, version: verdict.version }, { good: true, bad: false, version: 'KI-CR-v1.1.0' });
  assert.match(verdict.reason, /signature|base64url/);
});

test('in Node, importing every entry of the package, and the browser modules themselves, does nothing and throws nothing', () => {
  // The browser modules by path, as a runtime or a server renderer that ignores the node condition takes them.
  const script = `const before = Object.keys(globalThis).sort().join();
    for (const entry of ['consent-capture', 'consent-capture/verify', 'consent-capture/testing',
      './node_modules/consent-capture/consent-capture.js', './node_modules/consent-capture/consent-capture-verify.js',
      './node_modules/consent-capture/verify.js', './node_modules/consent-capture/testing.js']) await import(entry);
    console.log(before === Object.keys(globalThis).sort().join() ? 'nothing changed' : 'globals changed');`;
  const result = run('node', ['--input-type=module', '-e', script]);
  assert.deepEqual(result, { code: 0, out: 'nothing changed\n' });
});

test('the types: right uses compile with tsc --strict, and each wrong use fails', () => {
  const tsc = join(repo, 'node_modules/.bin/tsc');
  const right = run(tsc, ['--project', 'tsconfig.json']);
  assert.equal(right.code, 0, right.out);
  const wrong = run(tsc, ['--strict', '--noEmit', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'bundler', '--lib', 'ES2022,DOM', 'misuses.ts']);
  assert.notEqual(wrong.code, 0);
  const failing = [...wrong.out.matchAll(/misuses\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
  const marked = readFileSync(join(app, 'misuses.ts'), 'utf8').split('\n').flatMap((line, i) => (line.includes('// error') ? [i + 1] : []));
  assert.deepEqual([...new Set(failing)], marked, wrong.out);
});
