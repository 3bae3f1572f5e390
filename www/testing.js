// consent-capture/testing: for test suites that drive pages embedding <consent-capture> (Playwright,
// Selenium/WebDriver, Puppeteer, Cypress). It runs inside the page, so it behaves the same in every engine and
// under every driver, and it does what a person does: it types into the form's own inputs (in the element's
// shadow root, or the site's form in enhance mode), ticks the purposes' own checkboxes, presses the form's own
// button, waits for the element's `consent-capture:submit` event, and checks the receipt with the verifier
// module that ships beside it. Nothing about the element changes under automation.
//
//   const result = await submitConsent('consent-capture', {
//     fields: { name: 'Ada Lovelace', email: 'ada@example.com' },
//     choices: { newsletter: true },   // purpose ids of the notice; others stay as they are (never pre-ticked)
//     action: 'save',                  // or 'accept-all', 'reject-all'
//   });
//   result.valid, result.receipt (JWS), result.claims (the receipt), result.manifest, result.fields, result.request

const SUBMIT = 'consent-capture:submit';

function fail(message) {
  throw new Error(`consent-capture/testing: ${message}`);
}

/** Resolves once `find()` gives something, or fails after `timeout` ms saying `what` was missing. */
async function waitFor(find, what, timeout) {
  const until = Date.now() + timeout;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) fail(`${what} did not appear within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// Where the parts are: render mode has everything in the element's shadow root; enhance mode has the fields in
// the site's form and the purposes and buttons in a shadow root the element inserts into that form.
function parts(element) {
  const formId = element.getAttribute('for');
  if (formId) {
    const site = document.getElementById(formId);
    const choices = site?.querySelector('.consent-capture-choices')?.shadowRoot;
    return choices?.querySelector('[part~="purposes"]') ? { fields: site, choices, site } : null;
  }
  const root = element.shadowRoot;
  return root?.querySelector('form[part~="form"]') ? { fields: root, choices: root, site: null } : null;
}

function type(control, value) {
  if (control.type === 'checkbox') control.checked = value === true || value === 'true';
  else control.value = String(value);
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

async function noticeOf(element) {
  const notice = element.notice;
  if (notice && typeof notice === 'object') return notice;
  const response = await fetch(new URL(notice, document.baseURI));
  return response.json();
}

/**
 * Fills and submits the consent form of `target` (a `<consent-capture>` element or a selector for one) and
 * resolves with `{ valid, reason, receipt, receiptId, claims, manifest, fields, request }`: the receipt (a
 * compact JWS) as the verifier module judged it, its claims and manifest (what left the browser and why),
 * the fields that left (the json adapter's), and the request the adapter made (null without an endpoint).
 * Fails, saying why, when the form is not there, a field or purpose is unknown, or no submission happens
 * (the form's error summary, when it shows one).
 */
export async function submitConsent(target = 'consent-capture', { fields = {}, choices = {}, action = 'save', timeout = 10000 } = {}) {
  const element = typeof target === 'string' ? document.querySelector(target) : target;
  if (element?.localName !== 'consent-capture') fail(`no <consent-capture> element at ${target}`);
  const { fields: fieldRoot, choices: choiceRoot, site } = await waitFor(() => parts(element), 'the consent form', timeout);
  for (const [name, value] of Object.entries(fields)) {
    const control = fieldRoot.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) fail(`the form has no field named ${name}`);
    type(control, value);
  }
  const purposes = (await noticeOf(element)).purposes ?? [];
  for (const [purpose, granted] of Object.entries(choices)) {
    const index = purposes.findIndex((p) => p.id === purpose);
    const box = index < 0 ? null : choiceRoot.querySelector(`#cc-purpose-${index}`);
    if (!box) fail(`the form has no choice for the purpose ${purpose}`);
    if (box.checked !== Boolean(granted)) box.click();
  }
  const submitted = new Promise((resolve) => element.addEventListener(SUBMIT, (event) => resolve(event.detail), { once: true }));
  const button = action === 'save' && site
    ? site.querySelector('button:not([type]), button[type="submit"], input[type="submit"]')
    : choiceRoot.querySelector(`[part~="actions"] button[value="${CSS.escape(action)}"]`);
  if (!button) fail(`the form has no ${action} button`);
  button.click();
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(resolve, timeout); });
  const detail = await Promise.race([submitted, timedOut]);
  clearTimeout(timer);
  if (!detail) {
    const summary = choiceRoot.querySelector('[part~="summary"]')?.textContent || fieldRoot.querySelector('[part~="summary"]')?.textContent;
    fail(`nothing was submitted within ${timeout} ms${summary ? `: ${summary}` : ''}`);
  }
  const { verifyReceipt } = await import('./consent-capture-verify.js');
  const verdict = await verifyReceipt(detail.receipt);
  const claims = verdict.receipt ?? null;
  let sent = null;
  try { sent = detail.request && JSON.parse(detail.request.body).fields; } catch { /* another adapter's body */ }
  return {
    valid: verdict.valid,
    reason: verdict.reason ?? null,
    receipt: detail.receipt,
    receiptId: detail.receiptId,
    claims,
    // A copy, not the claims' own array: Puppeteer over WebDriver BiDi (Firefox) gives an object that a result
    // holds twice only once, and undefined in its second place.
    manifest: structuredClone(claims?.consentCapture?.manifest ?? null),
    fields: sent ?? null,
    request: detail.request ?? null,
  };
}
