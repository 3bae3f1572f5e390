// Submissions on their way to the site's endpoint. Each is written to IndexedDB before the first attempt and
// removed only when the endpoint took it (2xx) or refused it (4xx): a dead network, a 5xx or a closed tab
// loses nothing. Retries back off while the page is open, and run again on `online` and on the next page
// load. Every attempt of one submission carries the same Idempotency-Key (its receipt id), so an endpoint can
// drop repeats; one tab flushes at a time (Web Locks), so two tabs do not send the same entry at once.
import { readAll, remove, write } from './store.js';

const OUTBOX = 'outbox';
const FIRST_DELAY_MS = 2000;
const LONGEST_DELAY_MS = 5 * 60 * 1000;

const watchers = new Map(); // receipt id → (state, status) => void, for the element that shows it
const unstored = new Map(); // receipt id → entry, when IndexedDB is blocked: retried while the page lives
const inFlight = new Set(); // receipt ids being attempted by this page, so a flush does not send them again
let delay = FIRST_DELAY_MS;
let timer = null;
let flushing = null;
let flushAgain = false;

/**
 * `sent`, `queued` (network failure, 5xx, 408, 429) or `failed` (other 4xx), with the HTTP status if any.
 * Salesforce's Web-to-Lead answers no CORS, so it is posted `no-cors`: the response is opaque, a custom header
 * is not allowed (the receipt id travels in the body instead), and reaching the server counts as sent.
 */
async function attempt(entry) {
  const init = { method: 'POST', body: entry.body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': entry.contentType } };
  if (entry.opaque) init.mode = 'no-cors'; else init.headers['Idempotency-Key'] = entry.key;
  let response;
  try {
    response = await fetch(entry.url, init);
  } catch {
    return { state: 'queued' };
  }
  const { status } = response;
  if (entry.opaque || response.ok) return { state: 'sent', status };
  if (status >= 500 || status === 408 || status === 429) return { state: 'queued', status };
  return { state: 'failed', status };
}

async function tryOnce(entry) {
  inFlight.add(entry.key);
  try {
    return await settle(entry, await attempt(entry));
  } finally {
    inFlight.delete(entry.key);
  }
}

async function settle(entry, result) {
  if (result.state !== 'queued') {
    unstored.delete(entry.key);
    try { await remove(OUTBOX, entry.key); } catch { /* blocked storage: it was only in memory */ }
  }
  // An entry from an earlier page has no element watching: the document hears how it went.
  const watch = watchers.get(entry.key) ?? ((state, status) => document.dispatchEvent(new CustomEvent('consent-capture:delivery',
    { detail: { receiptId: entry.key, state, status: status ?? null } })));
  watch(result.state, result.status);
  if (result.state !== 'queued') watchers.delete(entry.key);
  return result;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => { timer = null; flush(); }, delay);
  delay = Math.min(delay * 2, LONGEST_DELAY_MS);
}

async function flushNow() {
  let stored = [];
  try { stored = await readAll(OUTBOX); } catch { /* blocked storage: only what this page holds */ }
  let waiting = false;
  for (const entry of [...stored, ...unstored.values()]) {
    if (inFlight.has(entry.key)) continue;
    const { state } = await tryOnce(entry);
    waiting ||= state === 'queued';
  }
  if (waiting) schedule(); else delay = FIRST_DELAY_MS;
}

/**
 * Tries every waiting submission once (one flush at a time, across tabs where the browser can tell). A flush
 * asked for while one runs follows it, so that an entry written meanwhile is not left waiting.
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
 * Sends `entry` ({ key, url, contentType, body, opaque }) and reports each state to `watch(state, status)`:
 * `sending`, then `sent`, `queued` (kept; `sent` follows when a retry succeeds) or `failed`.
 */
export async function deliver(entry, watch) {
  watchers.set(entry.key, watch);
  watch('sending');
  try {
    await write(OUTBOX, entry.key, entry);
  } catch {
    // Without IndexedDB it cannot outlive the page; it is still sent now and retried while the page is open.
    unstored.set(entry.key, entry);
  }
  const result = await tryOnce(entry);
  if (result.state === 'queued') schedule();
  return result;
}

addEventListener('online', () => { delay = FIRST_DELAY_MS; flush(); });
