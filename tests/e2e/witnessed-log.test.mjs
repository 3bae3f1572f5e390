// A log nobody can fork (issue 32): the real element in Chromium sends to a receiver whose acknowledgements
// wait for a witness (the binary's `witness`, on loopback), keeps the tlog-proof beside the acknowledgement,
// and says the log is witnessed. The controller then shows the device another history (a second database under
// the same log key, on the same address, which another person's receipt filled): on its next visit the device
// detects the fork, says so plainly, keeps both signed checkpoints and offers them for download; the audit,
// given the checkpoint shown later, names the fork.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDemoFields, nextEvent, open, start } from './browser.mjs';

const root = new URL('../../', import.meta.url).pathname;
const CLI = join(root, 'target/debug/consent-capture');
const RECEIVER = join(root, 'target/debug/consent-capture-receiver');
const scratch = mkdtempSync(join(tmpdir(), 'consent-capture-witnessed-e2e-'));
const controller = JSON.parse(readFileSync(join(root, 'tools/demo-controller.jwk'), 'utf8'));
delete controller.d;

let env;
let receiverOrigin;
const running = new Set();

const freePort = () => new Promise((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

function file(name, text) {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

// A note key made by the CLI: its private text (a file) and its verifier key (for the policy).
function keygen(kind, name) {
  const made = spawnSync(CLI, ['keygen', `--${kind}`, name], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return { path: file(`${kind}.key`, made.stdout), vkey: made.stderr.match(/verifier key \(for policies\): (\S+)/)[1] };
}

// Starts the binary with `args` until it says `ready` on stderr; `timeout` stops it should this process die.
async function run(args, ready) {
  const child = spawn('timeout', ['600', RECEIVER, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise((started, fail) => {
    child.stderr.on('data', (chunk) => { log += chunk; if (log.includes(ready)) started(); });
    child.on('exit', (code) => fail(new Error(`stopped (exit ${code}): ${log}`)));
  });
  child.removeAllListeners('exit');
  running.add(child);
  return child;
}

async function stop(child) {
  const stopped = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await stopped;
  running.delete(child);
}

let log;
let witnessKey;
let policy;

const receiver = (database, witnessed) => run([
  '--notice', join(root, 'www/demo/notice.json'), '--key', join(root, 'tools/demo-controller.jwk'),
  '--database', `sqlite:${join(scratch, database)}`, '--listen', receiverOrigin.slice('http://'.length),
  '--allow-origin', env.origin, '--public-url', receiverOrigin, '--demo', '--log-key', log.path,
  ...(witnessed ? ['--witness-policy', file('policy', policy)] : []),
], 'receiving');

before(async () => {
  receiverOrigin = `http://127.0.0.1:${await freePort()}`;
  env = await start({ receiver: receiverOrigin });
  log = keygen('log', '127.0.0.1/consent-log');
  witnessKey = keygen('witness', 'witness.example/w1');
  const witnessPort = await freePort();
  policy = `log ${log.vkey}\nwitness w1 ${witnessKey.vkey} http://127.0.0.1:${witnessPort}\nquorum w1\n`;
  await run(['witness', '--key', witnessKey.path, '--log', log.vkey, '--database', `sqlite:${join(scratch, 'witness.sqlite')}`,
    '--listen', `127.0.0.1:${witnessPort}`], 'witnessing');
});

after(async () => {
  for (const child of running) await stop(child);
  await env?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const rendered = (page) => page.locator('#rendered');

// The page pins the witness policy on the element (`log-policy`), as it pins the controller's key: set before
// the element starts, on every load of the page.
const pinned = () => `new MutationObserver(() => {
  const element = document.getElementById('rendered');
  if (element && !element.hasAttribute('log-policy')) element.setAttribute('log-policy', ${JSON.stringify(policy)});
}).observe(document, { childList: true, subtree: true });`;

async function send(page) {
  await page.waitForFunction(() => document.getElementById('rendered').getAttribute('adapter') === 'json');
  await fillDemoFields(rendered(page));
  await rendered(page).getByRole('button', { name: 'Send with my choices' }).click();
  await nextEvent(page, 'submit');
  await page.waitForFunction(() => window.__events.some((e) => e.kind === 'delivery' && e.detail.state === 'sent'));
}

test('a device keeps its witnessed proof and, shown another history later, says so and keeps the evidence', async () => {
  const honest = await receiver('one.sqlite', true);
  const { page, context } = await open(env, '/', { init: pinned() });
  await send(page);
  const panel = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  await panel.getByText(/^Received by Example Widgets Ltd: /).waitFor();
  await panel.getByText('Kept in a log that independent witnesses check.').waitFor();
  const kept = await page.evaluate(() => new Promise((done) => {
    indexedDB.open('consent-capture').onsuccess = (event) => {
      const all = event.target.result.transaction('acknowledgements').objectStore('acknowledgements').getAll();
      all.onsuccess = () => done(all.result);
    };
  }));
  assert.match(kept[0][2], /^c2sp\.org\/tlog-proof@v1\nextra [A-Za-z0-9+/=]+\nindex 0\n\n127\.0\.0\.1\/consent-log\n1\n/,
    'the proof is kept beside the acknowledgement');

  // The controller swaps in another database under the same log key, which another person's receipt fills.
  await stop(honest);
  const forked = await receiver('two.sqlite', false);
  const stranger = await open(env);
  await send(stranger.page);
  await stranger.context.close();

  await page.reload();
  const again = rendered(page).getByRole('region', { name: 'Your consent receipt' });
  const alert = again.getByRole('alert');
  await alert.getByText(/^Warning: this controller’s log changed its history\./).waitFor();
  const download = again.getByRole('link', { name: 'Download the evidence (.json)' });
  const evidence = JSON.parse(decodeURIComponent((await download.getAttribute('href')).replace(/^data:application\/json,/, '')));
  assert.equal(evidence.finding, 'what the log holds now does not extend what it held');
  assert.match(evidence.acknowledged, /^127\.0\.0\.1\/consent-log\n1\n[^\n]+\n\n— 127\.0\.0\.1\/consent-log [^\n]+\n— witness\.example\/w1 /);
  assert.match(evidence.shownLater, /^127\.0\.0\.1\/consent-log\n1\n/);
  assert.notEqual(evidence.acknowledged.split('\n')[2], evidence.shownLater.split('\n')[2], 'two roots for one size');

  // Kept: with the controller back on its first history, the evidence is still shown, without asking it.
  await stop(forked);
  const back = await receiver('one.sqlite', true);
  await page.reload();
  await rendered(page).getByRole('region', { name: 'Your consent receipt' }).getByRole('alert').waitFor();

  // The auditor, given the checkpoint the device was shown later, names the fork in the first database.
  const audit = spawnSync(CLI, ['audit', '--database', `sqlite:${join(scratch, 'one.sqlite')}`,
    '--controller', file('controller.jwk', JSON.stringify(controller)), '--policy', file('audit-policy', policy),
    '--checkpoint', file('shown.checkpoint', evidence.shownLater)], { encoding: 'utf8' });
  assert.equal(audit.status, 1, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /^audit failed: a fork: a checkpoint the log's key signed \(cosigned by no known witness/);
  await stop(back);
  await context.close();
});
