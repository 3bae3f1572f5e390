// One verdict everywhere: every receipt of the shared corpus (tests/corpus/receipts.json, built and checked
// natively by tests/hostile_receipts.rs: valid receipts, and hostile ones such as a small-order key with a
// universal signature, ES256 high-S twins, floats, milliseconds, unbound persons) gets the same verdict from
// the native CLI, the browser verifier in Chromium and the Node verifier of the npm package.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, start } from './browser.mjs';

const CLI = new URL('../../target/debug/consent-capture', import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(new URL('../corpus/receipts.json', import.meta.url), 'utf8'));
const expected = Object.fromEntries(corpus.map((c) => [c.name, c.valid]));

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

test('the corpus has valid receipts and at least 50 hostile ones', () => {
  assert.ok(corpus.filter((c) => c.valid).length >= 5);
  assert.ok(corpus.filter((c) => !c.valid).length >= 50);
});

test('the native CLI gives every case its verdict', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'consent-capture-verdicts-'));
  const verdicts = {};
  for (const { name, jws } of corpus) {
    const path = join(scratch, `${name}.jws`);
    writeFileSync(path, jws);
    const { status, stdout } = spawnSync(CLI, ['verify', path], { encoding: 'utf8' });
    assert.ok(status === 0 || status === 1, `${name}: exit ${status} ${stdout}`);
    verdicts[name] = status === 0;
  }
  assert.deepEqual(verdicts, expected);
});

test('the Node verifier of the npm package gives every case the same verdict', async () => {
  const { verifyReceipt } = await import(new URL('../../target/package/verify-node.js', import.meta.url).href);
  const verdicts = {};
  for (const { name, jws } of corpus) verdicts[name] = (await verifyReceipt(jws)).valid;
  assert.deepEqual(verdicts, expected);
});

test('the browser verifier gives every case the same verdict in Chromium', async () => {
  const { page, context } = await open(env, '/receipt.html');
  const verdicts = await page.evaluate(async (cases) => {
    const { verifyReceipt } = await import('/dist/consent-capture-verify.js');
    const out = {};
    for (const { name, jws } of cases) out[name] = (await verifyReceipt(jws)).valid;
    return out;
  }, corpus);
  assert.deepEqual(verdicts, expected);
  await context.close();
});
