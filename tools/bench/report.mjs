// Writes docs/benchmarks.md and docs/benchmarks.svg from the latest `make bench` results (target/bench/peers.json,
// target/bench/micro.json, target/bench/receiver.json, target/bench/records.json, target/bench/relay.json, target/bench/witnessed.json, target/bench/attacks.json, target/bench/lighthouse.json), the component's size now (www/dist) and the size findings (tools/bench/size-findings.md).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { budget, component, criticalBudget, criticalPath, measure, sum, verifier } from '../size.mjs';

const root = new URL('../../', import.meta.url);
const read = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const peers = read('target/bench/peers.json');
const micro = read('target/bench/micro.json');
const receiver = read('target/bench/receiver.json');
const records = read('target/bench/records.json');
const relay = read('target/bench/relay.json');
const witnessed = read('target/bench/witnessed.json');
const attacks = read('target/bench/attacks.json');
const lighthouse = read('target/bench/lighthouse.json');
const findings = readFileSync(new URL('tools/bench/size-findings.md', root), 'utf8').trim();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
const ms = (xs) => `${Math.round(median(xs))} (${range(xs)})`;
const kb = (bytes) => (bytes / 1000).toFixed(1);
// Runs of a benchmark made before layout shift was measured have none.
const cls = (xs) => (xs.every((x) => typeof x === 'number') ? `${median(xs).toFixed(3)} (${Math.max(...xs).toFixed(3)})` : '–');
const OURS = 'consent-capture';

function table(profile) {
  const results = peers.results[profile];
  const stat = (name, key) => results[name].map((r) => r[key]);
  const ours = { bytes: median(stat(OURS, 'bytes')), visible: median(stat(OURS, 'visible')) };
  const rows = peers.libraries.map((name) => {
    const bytes = median(stat(name, 'bytes'));
    const visible = median(stat(name, 'visible'));
    return `| ${name} | ${peers.versions[name]} | ${kb(bytes)} | ${median(stat(name, 'requests'))} | ${ms(stat(name, 'visible'))} | ${ms(stat(name, 'interactive'))} | ${ms(stat(name, 'scriptMs'))} | ${Math.round(median(stat(name, 'longestTask')))} (max ${Math.round(Math.max(...stat(name, 'longestTask')))}) | ${cls(stat(name, 'layoutShift'))} | ${name === OURS ? '1' : bytes === 0 ? '–' : (ours.bytes / bytes).toFixed(2)} | ${name === OURS ? '1' : (ours.visible / visible).toFixed(2)} |`;
  });
  return [
    '| library | version | KB on the wire (brotli) | requests | visible, ms: median (min–max) | interactive, ms | main-thread script, ms | longest task ≥ 50 ms, ms (0: none) | layout shift (CLS): median (max) | consent-capture bytes ÷ this | consent-capture visible ÷ this |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

// The goals of issue 16 for the embed `make dist` prints: visible before every peer's median, and no layout shift
// in render mode and in enhance mode.
function verdict(profile) {
  const results = peers.results[profile];
  const visible = (name) => median(results[name].map((r) => r.visible));
  const shift = (name) => median(results[name].map((r) => r.layoutShift));
  const others = peers.libraries.filter((n) => !peers.ours.includes(n) && !(peers.floor ?? []).includes(n));
  const fastest = others.reduce((best, n) => (visible(n) < visible(best) ? n : best));
  const ours = visible(OURS);
  const enhance = 'consent-capture, enhance mode';
  const still = [OURS, enhance].every((n) => shift(n) === 0);
  return `consent-capture (the embed \`make dist\` prints) is visible at ${Math.round(ours)} ms (median); the fastest peer, ${fastest}, `
    + `at ${Math.round(visible(fastest))} ms: visible first is ${ours < visible(fastest) ? '**met**' : '**not met**'} in this run. `
    + `Median layout shift ${shift(OURS).toFixed(3)} in render mode and ${shift(enhance).toFixed(3)} in enhance mode: no shift is `
    + `${still ? '**met**' : '**not met**'}.`;
}

function receiverTables() {
  const runs = receiver.runs.map((r) => `| ${r.database} | ${r.offered ? `${r.offered}/s` : 'flat out (all due at once, 128 in flight)'} | ${r.receipts} | ${Math.round(r.achieved)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.notAcknowledged} |`);
  const log = receiver.log.map((r) => `| ${r.size.toLocaleString('en')} | ${r.appendUs.toFixed(2)} | ${r.inclusionUs.toFixed(2)} | ${r.consistencyUs.toFixed(2)} |`);
  return [
    '| database | offered | receipts | achieved, receipts/s | p50, ms | p99, ms | not acknowledged |', '|---|---|---|---|---|---|---|', ...runs,
    '', '| records in the log | append, µs | inclusion proof, µs | consistency proof (from half), µs |', '|---|---|---|---|', ...log,
  ].join('\n');
}

function sizeNow() {
  const rows = [...component, ...verifier].map((name) => measure(name));
  const total = sum(rows.slice(0, component.length)).brotli;
  const critical = criticalPath();
  const row = (r) => `| ${r.name.replace('www/dist/', '')}${verifier.includes(r.name) ? ' (receipt verifier, only pages that verify)' : ''} | ${r.raw} | ${r.gzip} | ${r.brotli} |`;
  return [
    '| file | raw | gzip -9 | brotli |', '|---|---|---|---|', ...rows.map(row),
    '', `The whole element (wasm, JS, CSS, early script) is **${total} bytes brotli**; the budget \`make test\` enforces is ${budget} (tools/size-budget.json). The goal of issue 16 is 45,000.`,
    '', 'What must arrive before the form is visible with the embed `make dist` prints (the critical path: the page\'s own lines for it, the early script and the form with its stylesheet, with nothing to fetch):', '',
    '| file | raw | gzip -9 | brotli |', '|---|---|---|---|', ...critical.map(row),
    '', `The critical path is **${sum(critical).brotli} bytes brotli**; \`make test\` enforces ${criticalBudget} (issue 16's goal: 20 KB).`,
  ].join('\n');
}

function microTable() {
  return [
    '| operation | median, ms | p10 | p90 | min | max |', '|---|---|---|---|---|---|',
    ...Object.entries(micro.timings).map(([name, s]) => `| ${name} | ${s.median.toFixed(3)} | ${s.p10.toFixed(3)} | ${s.p90.toFixed(3)} | ${s.min.toFixed(3)} | ${s.max.toFixed(3)} |`),
  ].join('\n');
}

function chart() {
  const names = peers.libraries;
  const bytes = names.map((n) => median(peers.results.desktop[n].map((r) => r.bytes)) / 1000);
  const visible = names.map((n) => median(peers.results.desktop[n].map((r) => r.visible)));
  const rowHeight = 26;
  const panel = (title, values, unit, x0) => {
    const max = Math.max(...values);
    const bars = values.map((v, i) => {
      const width = Math.max(1, (v / max) * 240);
      const y = 40 + i * rowHeight;
      const fill = peers.ours.includes(names[i]) ? '#0b57d0' : '#8a8a8a';
      return `<rect x="${x0 + 230}" y="${y}" width="${width.toFixed(1)}" height="18" fill="${fill}"/>`
        + `<text x="${x0 + 225}" y="${y + 13}" text-anchor="end">${names[i]}</text>`
        + `<text x="${x0 + 235 + width}" y="${y + 13}">${v.toFixed(v < 100 ? 1 : 0)} ${unit}</text>`;
    }).join('');
    return `<text x="${x0 + 10}" y="22" font-weight="bold">${title}</text>${bars}`;
  };
  const height = 50 + names.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${panel('KB on the wire (brotli), desktop', bytes, 'KB', 0)}
${panel('Time to visible, desktop median (ms)', visible, 'ms', 550)}
</svg>
`;
}

const machine = `${cpus().length} × ${cpus()[0].model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim()}`;
const document = `# Benchmarks

Written by \`make bench\` on ${peers.date.slice(0, 10)} (do not edit by hand; the size findings come from
[tools/bench/size-findings.md](tools/bench/size-findings.md)). Machine: ${machine}. Browser: Debian Chromium
${peers.chromium}, headless, through playwright-core. Node ${process.version}.

Reproduce: \`make bench\` (about ten minutes; \`RUNS=20 make bench\` for more rounds). It installs the peers at the
pinned versions of [tools/bench/peers.json](tools/bench/peers.json) into \`target/bench/peers\`, serves every
library on the same page from a CDN-like server on 127.0.0.1 (brotli or gzip as the browser asks, compressed at
the highest quality once, \`Cache-Control: no-store\`), and loads each page in a fresh browser context, libraries
in round-robin order, ${peers.runs} rounds after one warm-up round.

What is measured, per page load:
- KB on the wire and requests: every response the embed caused, as encoded, plus what the embed puts in the
  page itself (the peers' inline configurations, our form drawn ahead of time), brotli-compressed on its own;
  for consent-capture that includes its notice (a file of the site's).
- visible: from navigation start until the form or banner has a non-zero box inside the viewport and passes
  \`checkVisibility()\` (checked every frame); interactive: until its accept control is visible, enabled and
  the element hit-testing finds at its centre.
- main-thread script: Chrome's \`ScriptDuration\` (CDP \`Performance.getMetrics\`) after the page settles; longest
  task: the Long Tasks API (it reports only tasks of 50 ms or more).
- layout shift: every \`layout-shift\` entry without recent input, summed from navigation until half a second after
  the accept control can be clicked (the page's CLS while the form or banner appears). The form or banner sits
  before six paragraphs of text, so a form that appears late pushes them down.
- floor: the same form (one e-mail field, the two purposes, three buttons) written by hand in the page, with no
  library and no script: the limit for visible, bytes and shift. Not a peer.
- Each library is embedded as its README shows for a script-tag site, with two optional purposes (analytics,
  marketing) and English texts ([tools/bench/libraries.mjs](tools/bench/libraries.mjs)). consent-capture is a
  form, not a banner: its notice has the same two consent purposes and one e-mail field, in render mode,
  embedded as \`make dist\` prints: the module, the early script (in the page) and the preloads of the wasm and
  the notice in \`<head>\`, and the form drawn ahead of time by \`consent-capture render\` into a declarative
  shadow root, with its stylesheet in it.
  vanilla-cookieconsent hides itself from automated browsers unless told \`hideFromBots: false\`, which its
  configuration here says.
- consent-capture, one script tag: the plain embed (the module's script tag and the element), whose form
  appears once the notice and the wasm are there.
- consent-capture, enhance mode: the same notice enhancing a site's own form (one e-mail field and its submit
  button) in the page, with the purpose choices drawn ahead of time before the button (\`make dist\`'s embed);
  visible and interactive are those of the choices. "one script tag": the choices inserted by the element.

## Desktop (1280 × 720)

${table('desktop')}

${verdict('desktop')}

## Mobile (412 × 823, 4× CPU throttling, slow 4G: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up)

${table('mobile')}

${verdict('mobile')}

![KB on the wire and time to visible per library](benchmarks.svg)

## consent-capture alone

Micro-benchmarks in the same Chromium (${micro.samples} samples each, after 5 warm-up; fast operations timed in
batches, since \`performance.now()\` is coarse without cross-origin isolation). The notice has ${micro.fields}
fields (${micro.transformed} of them transformed); the receipt is ${micro.receiptBytes} bytes.

${microTable()}

${micro.adversarialRatio ? `Adversarial input: 10 MB of keys in one object takes ${micro.adversarialRatio.toFixed(1)}× the time of 1 MB (n log n gives about 10; the quadratic check it replaced gave about 100). Receipts and notice signatures are refused above 64 KiB before parsing.

` : ''}wasm linear memory before and after each 250 of 1,000 more receipts (KiB): ${micro.memoryKiB.join(', ')}.

## The receiver

\`cargo run --profile server -p consent-capture-receiver --example load\` ([receiver/examples/load.rs](receiver/examples/load.rs)):
the receiver in one process with its load generator (HTTP/1.1 keep-alive, at most 128 requests in flight), both
on this machine's cores. Each receipt comes from a device of its own and is verified (Ed25519, the component's
verifier), checked against its body, stored (committed; SQLite with \`synchronous = FULL\`, PostgreSQL with
\`fsync\` on) and acknowledged (signed, with its inclusion proof) before its answer leaves. Latency counts from
when each request was due, so an overloaded run shows its queue. PostgreSQL runs on a server the benchmark
starts on a loopback port, as the tests do.

${receiverTables()}

What limits it: receipts that arrive together share one commit (group commit: one transaction, one sync, for
every submission waiting), so the sync is no longer the bound; the processor is. Each receipt is parsed and
checked (strict JSON, canonical form, the notice), its device signature verified and its acknowledgement
signed (two Ed25519 operations), on 2 cores that the load generator shares. At 400/s the p50 and p99 are the
latency of one receipt when the receiver keeps up. The log itself costs microseconds at a million records,
growing with log n.

## The read side

\`cargo run --profile server -p consent-capture-receiver --example records\`
([receiver/examples/records.rs](receiver/examples/records.rs)): a log of ${records.records.toLocaleString('en')} records in
SQLite (${records.people.toLocaleString('en')} people, ${records.receiptsAPerson} receipts each, the later ones following the first; built
through the store in ${Math.round(records.buildSeconds)} s), then one person's consent state (what \`GET /records/{person}\`
answers) and one person's ISO/IEC TS 27560 history export (JSON-LD, every receipt as evidence), timed from
the query to the finished JSON.

| Query | Runs | p50 (ms) | p99 (ms) |
|---|---:|---:|---:|
| Consent state of one person | ${records.stateQueries.toLocaleString('en')} | ${records.stateP50Ms.toFixed(3)} | ${records.stateP99Ms.toFixed(3)} |
| ISO 27560 history of one person | ${records.exports} | ${records.exportP50Ms.toFixed(3)} | ${records.exportP99Ms.toFixed(3)} |

The aim was a state query under 5 ms p99 at 10^6 records on SQLite. A person's decisions are one index range
(\`decisions\`' primary key starts with the person), so the query's cost grows with log n, not with the log.

The relay (\`--example relay\`, [receiver/examples/relay.rs](receiver/examples/relay.rs)) took
${relay.records.toLocaleString('en')} queued records to a loopback webhook that answers at once in ${relay.seconds.toFixed(2)} s: **${Math.round(relay.perSecond)} records a
second**, one request at a time (a person's records go in order), each taken and marked delivered with a
durable commit. A real CRM's round trip and limit bound it long before that: HubSpot takes 5 a second, which
is why \`--relay-per-second\` defaults to 4.
${relay.shaping ? `
Shaping one record's request by each shipped destination's description (the core's interpreter, natively, bound
once as the relay binds at its start; the mean of 2,000):

| Destination | µs | What it shaped |
| --- | ---: | --- |
${Object.entries(relay.shaping).map(([name, s]) => `| ${name} | ${s.microseconds.toFixed(1)} | ${s.sends ? 'a request' : 'nothing to send (not granted)'} |`).join('\n')}
` : ''}

## The witnessed log

\`cargo run --profile server -p consent-capture-receiver --example witnessed\`
([receiver/examples/witnessed.rs](receiver/examples/witnessed.rs)): ${witnessed.receipts.toLocaleString('en')} receipts flat out
on SQLite, with the log unwitnessed and then witnessed by three witnesses on loopback under a 2-of-3 policy (each
acknowledgement waits until two of them cosign its batch's checkpoint). One round trip to the witnesses a group commit:
the submissions that arrive meanwhile form the next batch.

| | receipts acknowledged a second |
| --- | ---: |
| witnessing off | ${Math.round(witnessed.perSecondOff)} |
| witnessing on | ${Math.round(witnessed.perSecondOn)} (${(witnessed.perSecondOn / witnessed.perSecondOff).toFixed(2)} × off, ${Math.round(witnessed.acknowledgedOn * 100)} % acknowledged) |

One cosigning round (the checkpoint signed, three witnesses asked at once, answered at the quorum; median of 50):
${witnessed.cosigningMs.map((r) => `${r.ms.toFixed(2)} ms after ${r.added} record${r.added === 1 ? '' : 's'}`).join(', ')}. What a
person's device keeps grows with the log's logarithm:

| records | cosigned checkpoint, bytes | an acknowledgement's proof (tlog-proof), bytes |
| ---: | ---: | ---: |
${witnessed.sizes.map((r) => `| ${r.records.toLocaleString('en')} | ${r.checkpointBytes} | ${r.proofBytes} |`).join('\n')}

## Under attack

\`cargo run --profile server -p consent-capture-receiver --example attacks\`
([receiver/examples/attacks.rs](receiver/examples/attacks.rs)): ${attacks.erasures[0].posts} genuine posts at
${attacks.erasures[0].perSecond} a second, alone and then while an attacker with the read token erases people (one
record each, of ${'2,000'}) as fast as the receiver answers; latency from when each post was due. Compaction runs
off the request path, at most once every 30 s.

| Database | Alone p50 (ms) | Alone p99 (ms) | Under erasures p50 (ms) | Under erasures p99 (ms) | Erasures a second |
|---|---:|---:|---:|---:|---:|
${attacks.erasures.map((r) => `| ${r.database} | ${r.aloneP50Ms.toFixed(1)} | ${r.aloneP99Ms.toFixed(1)} | ${r.attackedP50Ms.toFixed(1)} | ${r.attackedP99Ms.toFixed(1)} | ${Math.round(r.erasuresPerSecond)} |`).join('\n')}

The largest \`/access\` answer: a device with ${attacks.access.records} records of 200 KB
(${(attacks.access.answerBytes / 1e6).toFixed(0)} MB in all) read page by page (${attacks.access.pages} pages, a client
waiting as \`Retry-After\` says) in ${attacks.access.seconds.toFixed(1)} s; the receiver's resident memory grew by at most
**${(attacks.access.peakGrowthBytes / 1e6).toFixed(1)} MB** while answering (before pages, one answer held it all: 1,040 MB
for 5,000 such records).

## The demo page in Lighthouse

\`node tools/bench/lighthouse.mjs\` ([tools/bench/lighthouse.mjs](tools/bench/lighthouse.mjs)): Lighthouse
${lighthouse.lighthouse} from npm with Debian's Chromium, its mobile profile (simulated slow 4G and 4× CPU), the
median of three runs of each page.

| page | performance | accessibility | best practices | FCP, ms | LCP, ms | TBT, ms | CLS |
|---|---:|---:|---:|---:|---:|---:|---:|
${lighthouse.results.map((r) => `| ${r.name} | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores['best-practices']} | ${Math.round(r.metrics['first-contentful-paint'])} | ${Math.round(r.metrics['largest-contentful-paint'])} | ${Math.round(r.metrics['total-blocking-time'])} | ${r.metrics['cumulative-layout-shift'].toFixed(3)} |`).join('\n')}

## Size

${sizeNow()}

${findings}
`;
// Written in docs/: links into the repository go one folder up.
const inDocs = document.replace(/\]\((?!https?:|#|benchmarks\.svg)([^)]+)\)/g, '](../$1)');
writeFileSync(new URL('docs/benchmarks.md', root), inDocs);
writeFileSync(new URL('docs/benchmarks.svg', root), chart());
console.log('wrote docs/benchmarks.md and docs/benchmarks.svg');
