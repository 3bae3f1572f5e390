// consent-capture next to the consent managers people use today, on the same page from a CDN-like loopback
// server: bytes on the wire and requests for what each embed loads, time until its form or banner is visible and
// until its accept control can be clicked, main-thread script time, the longest task and the layout shift it
// causes (CLS: the sum of shifts until half a second after it can be clicked); on desktop and on a
// mid-range mobile profile (4x CPU throttling, slow 4G). A fresh browser context per run, libraries in
// round-robin order, one warm-up round. Writes target/bench/peers.json; `make bench` turns it into
// docs/benchmarks.md. RUNS (default 10) sets the measured rounds; PROFILE=desktop or mobile measures only that one;
// ONLY=name,name measures only those libraries (a quick comparison while changing an embed; make bench measures all).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/e2e/browser.mjs';
import { cdn } from './cdn.mjs';
import { LIBRARIES as ALL_LIBRARIES, page as pageOf } from './libraries.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const only = process.env.ONLY?.split(',');
const LIBRARIES = only ? ALL_LIBRARIES.filter((l) => only.includes(l.name)) : ALL_LIBRARIES;
// What an embed puts in the page itself (a configuration, a form drawn ahead of time), brotli-compressed on its
// own: counted with what it loads.
const inlineBytes = (library) => brotliCompressSync(`${library.head}\n${library.body}`, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
const root = new URL('../../', import.meta.url);
const peers = new URL('target/bench/peers/node_modules/', root);
const versions = JSON.parse(readFileSync(new URL('tools/bench/peers.json', root), 'utf8')).packages;
const ours = LIBRARIES.filter((l) => l.fromRepo).map((l) => l.name);
for (const name of ours) versions[name] = readFileSync(new URL('Cargo.toml', root), 'utf8').match(/^version = "(.*)"/m)[1];
for (const { name } of LIBRARIES.filter((l) => l.floor)) versions[name] = '–';

const PROFILES = {
  desktop: { viewport: { width: 1280, height: 720 } },
  // Lighthouse's mobile defaults: 4x slower CPU; "slow 4G" of 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up.
  mobile: {
    viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true,
    cpu: 4, network: { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
  },
};

// Runs in every page before its scripts: watches, every frame, for the library's banner or form to be visible
// and for its accept control to be clickable, and keeps the longest task.
function watcher(find, button) {
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
      && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const hit = (el) => {
    const r = el.getBoundingClientRect();
    let at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    while (at?.shadowRoot) {
      const inner = at.shadowRoot.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!inner || inner === at) break;
      at = inner;
    }
    return at === el || el.contains(at);
  };
  const state = { visibleAt: null, interactiveAt: null, longestTask: 0, layoutShift: 0 };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longestTask = Math.max(state.longestTask, entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  // Every shift not caused by input, summed: the page is measured only while it loads (no session windows).
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) state.layoutShift += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const check = () => {
    if (state.visibleAt === null && visible(find())) state.visibleAt = performance.now();
    const control = button();
    if (state.visibleAt !== null && state.interactiveAt === null && control && !control.disabled && visible(control) && hit(control)) {
      state.interactiveAt = performance.now();
    }
    if (state.interactiveAt === null) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

const mounts = {};
const pages = {};
const served = [];
LIBRARIES.forEach((library, i) => {
  for (const [prefix, folder] of Object.entries(library.files)) {
    mounts[prefix] = new URL(folder, library.fromRepo ? root : peers).pathname;
  }
  pages[`/pages/${i}.html`] = pageOf(library);
  Object.assign(pages, library.extra ?? {});
});
const server = await cdn({ mounts, pages, log: served });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

async function measure(index, profile) {
  const library = LIBRARIES[index];
  const { cpu, network, ...contextOptions } = PROFILES[profile];
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  if (cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  await page.addInitScript(`(${watcher})(${library.find}, ${library.button})`);
  served.length = 0;
  await page.goto(`${origin}/pages/${index}.html`);
  await page.waitForFunction(() => window.__bench?.interactiveAt !== null, null, { timeout: 30_000, polling: 50 });
  await page.waitForTimeout(500);
  const state = await page.evaluate(() => window.__bench);
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const embed = served.filter((r) => !r.path.startsWith('/pages/') && r.path !== '/favicon.ico');
  await context.close();
  return {
    bytes: embed.reduce((sum, r) => sum + r.bytes, inlineBytes(library)),
    requests: embed.length,
    visible: state.visibleAt,
    interactive: state.interactiveAt,
    scriptMs: metrics.ScriptDuration * 1000,
    longestTask: state.longestTask,
    layoutShift: state.layoutShift,
  };
}

const results = {};
try {
  for (const profile of (process.env.PROFILE ? [process.env.PROFILE] : Object.keys(PROFILES))) {
    results[profile] = Object.fromEntries(LIBRARIES.map((l) => [l.name, []]));
    for (let round = 0; round <= RUNS; round += 1) {
      for (const [index, library] of LIBRARIES.entries()) {
        const sample = await measure(index, profile);
        if (round > 0) results[profile][library.name].push(sample);
      }
      process.stdout.write(`${profile}: round ${round}/${RUNS}${round === 0 ? ' (warm-up)' : ''}\n`);
    }
  }
} finally {
  await browser.close();
  server.close();
}

mkdirSync(new URL('target/bench/', root), { recursive: true });
writeFileSync(new URL('target/bench/peers.json', root), JSON.stringify({
  date: new Date().toISOString(), chromium: browser.version(), runs: RUNS, versions, ours,
  libraries: LIBRARIES.map((l) => l.name), floor: LIBRARIES.filter((l) => l.floor).map((l) => l.name), results,
}, null, 2));
console.log('wrote target/bench/peers.json');
