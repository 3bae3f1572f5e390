// Submissions on their way to the site's endpoint. Each is written to IndexedDB before anything is sent and
// removed only when the endpoint took it (2xx), refused it (4xx), or it was given up on: a dead network, a 5xx
// or a closed tab loses nothing, and nothing is kept for ever.
// - Order: entries go in submission order, and an entry waits while an earlier one for the same endpoint is
//   still queued, so a withdrawal never arrives before the consent it withdraws.
// - Exactly once: only a flush sends, and one flush runs at a time across the origin's tabs (Web Locks), from
//   what IndexedDB holds when it starts; every attempt of one submission carries the same Idempotency-Key (its
//   receipt id), so an endpoint can also drop repeats.
// - Given up, with a reason: `expired` after 30 days (HubSpot refuses an older `submittedAt`), `no-cors` when
//   the endpoint answers but never lets this origin read its answer, `http` for a 4xx.
import { toBase64Url } from './keys.js';
import { readAll, remove, write } from './store.js';

const OUTBOX = 'outbox';
export const ACKNOWLEDGEMENTS = 'acknowledgements';
const FIRST_DELAY_MS = 2000;
const LONGEST_DELAY_MS = 5 * 60 * 1000;
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
// A keepalive request may outlive the tab, but the browser allows at most 64 KiB of them in flight.
const KEEPALIVE_LIMIT = 64 * 1024;
// How many times in a row an endpoint may be reachable yet refuse this origin before it counts as `no-cors`
// (one dropped connection looks the same as a refusal from inside the page).
const NO_CORS_AFTER = 3;

const watchers = new Map(); // receipt id → (state, status, reason) => void, for the element that shows it
const unstored = new Map(); // receipt id → entry, when IndexedDB is blocked: retried while the page lives
let delay = FIRST_DELAY_MS;
let timer = null;
let flushing = null;
let flushAgain = false;

/**
 * Whether a request that got no answer can reach the endpoint at all: a `no-cors` HEAD carries no data and
 * resolves only when the server answered. The caller counts how often that happens in a row.
 */
async function reachable(url) {
  try {
    await fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `sent`, `queued` (network failure, 5xx, 408, 429) or `failed` (with a reason), with the HTTP status if any.
 * Salesforce's Web-to-Lead answers no CORS, so it is posted `no-cors`: the response is opaque, a custom header
 * is not allowed (the receipt id travels in the body instead), and reaching the server counts as sent.
 */
async function attempt(entry) {
  const keepalive = new TextEncoder().encode(entry.body).length <= KEEPALIVE_LIMIT;
  // An entry kept by an earlier version has no method: it was a POST.
  const init = { method: entry.method ?? 'POST', body: entry.body, keepalive, credentials: 'omit', headers: { 'Content-Type': entry.contentType, ...entry.headers } };
  if (entry.opaque) init.mode = 'no-cors'; else init.headers['Idempotency-Key'] = entry.key;
  let response;
  try {
    response = await fetch(entry.url, init);
  } catch {
    const refusals = !entry.opaque && (await reachable(entry.url)) ? (entry.refusals ?? 0) + 1 : 0;
    return refusals >= NO_CORS_AFTER ? { state: 'failed', reason: 'no-cors' } : { state: 'queued', refusals };
  }
  const { status } = response;
  if (entry.opaque) return { state: 'sent', status };
  // A consent-capture receiver answers with the controller's acknowledgement of the receipt.
  // With its log's proof (c2sp.org/tlog-proof) where witnesses cosign the log.
  if (response.ok) {
    const { acknowledgement, proof } = (await response.json().catch(() => null)) ?? {};
    const text = (value) => (typeof value === 'string' ? value : undefined);
    return { state: 'sent', status, acknowledgement: text(acknowledgement), proof: text(proof) };
  }
  if (status >= 500 || status === 408 || status === 429) return { state: 'queued', status, refusals: 0 };
  return { state: 'failed', status, reason: 'http' };
}

async function settle(entry, result) {
  if (result.state === 'queued') {
    if (result.refusals !== undefined && result.refusals !== entry.refusals) {
      entry.refusals = result.refusals;
      if (unstored.has(entry.key)) unstored.set(entry.key, entry);
      else await write(OUTBOX, entry.key, entry).catch(() => {});
    }
  } else {
    unstored.delete(entry.key);
    const { acknowledgement } = result;
    // Kept before the entry goes: an acknowledgement is the person's proof that the controller has it, with
    // the SHA-256 of the body sent, which it must name (the body itself leaves the device with the entry).
    if (acknowledgement) {
      result.sent = toBase64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(entry.body)));
      await write(ACKNOWLEDGEMENTS, entry.key, [acknowledgement, result.sent, result.proof]).catch(() => {});
    }
    try { await remove(OUTBOX, entry.key); } catch { /* blocked storage: it was only in memory */ }
  }
  // An entry from an earlier page has no element watching: the document hears how it went.
  const watch = watchers.get(entry.key) ?? ((state, status, reason, acknowledgement) => document.dispatchEvent(new CustomEvent('consent-capture:delivery',
    { detail: { receiptId: entry.key, state, status: status ?? null, reason: reason ?? null, acknowledgement: acknowledgement ?? null } })));
  watch(result.state, result.status, result.reason, result.acknowledgement, result.sent, result.proof);
  if (result.state !== 'queued') watchers.delete(entry.key);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => { timer = null; flush(); }, delay);
  delay = Math.min(delay * 2, LONGEST_DELAY_MS);
}

async function flushNow() {
  let stored = [];
  try { stored = await readAll(OUTBOX); } catch { /* blocked storage: only what this page holds */ }
  // Entries kept by an earlier version have no time: they go first, and never expire.
  const entries = [...stored, ...unstored.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const waiting = new Set(); // endpoints with an earlier entry still queued: later ones wait behind it
  for (const entry of entries) {
    if (Date.now() - entry.at > MAX_AGE_MS) { // false without a time
      await settle(entry, { state: 'failed', reason: 'expired' });
    } else if (waiting.has(entry.url)) {
      await settle(entry, { state: 'queued' });
    } else {
      const result = await attempt(entry);
      await settle(entry, result);
      if (result.state === 'queued') waiting.add(entry.url);
    }
  }
  if (waiting.size) schedule(); else delay = FIRST_DELAY_MS;
}

/**
 * Tries every waiting submission once, in order (one flush at a time, across tabs where the browser can tell).
 * A flush asked for while one runs follows it, so that an entry written meanwhile is not left waiting.
 */
export function flush() {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = (navigator.locks ? navigator.locks.request('consent-capture-outbox', flushNow) : flushNow())
    .finally(() => {
      flushing = null;
      if (flushAgain) {
        flushAgain = false;
        flush();
      }
    });
  return flushing;
}

/**
 * Keeps `entry` ({ key, url, method, contentType, headers, body, opaque }) and sends it through a flush, reporting each state to
 * `watch(state, status, reason, acknowledgement, bodySha256, proof)`: `sending`, then `sent` (with the controller's
 * acknowledgement, the body's SHA-256 and, where witnesses cosign its log, its proof, when the endpoint is a consent-capture
 * receiver), `queued` (kept; `sent` follows when a retry succeeds) or `failed`.
 */
export async function deliver(entry, watch) {
  const kept = { ...entry, at: performance.timeOrigin + performance.now() };
  watchers.set(kept.key, watch);
  watch('sending');
  try {
    await write(OUTBOX, kept.key, kept);
  } catch {
    // Without IndexedDB it cannot outlive the page; it is still sent now and retried while the page is open.
    unstored.set(kept.key, kept);
  }
  return flush();
}

if (globalThis.document) addEventListener('online', () => { delay = FIRST_DELAY_MS; flush(); });
