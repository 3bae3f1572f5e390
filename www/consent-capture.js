// <consent-capture notice="URL" [lang="de"] [for="form-id"] [notice-signature="URL" controller-key="thumbprint"]
//   [notice-min-revision="2026-11-22"] [endpoint="URL"] [adapter="json|hubspot|…"] [unavailable="text"]>
// The wasm core validates the notice, describes the form, checks and minimises what was typed, builds the
// receipt and shapes the CRM request; this file renders with textContent, owns the listeners, restores choices
// from the last receipt this device signed, signs receipts with the device key (keys.js) and sends through the
// outbox (outbox.js).
// Events: consent-capture:change, :submit, :delivery, :error.
// A form rendered ahead of time into a declarative shadow root (`consent-capture render`) is shown by the
// browser before this module runs; the element takes it over, with what the person typed, ticked, focused
// and pressed in it (early.js holds presses until then).
import { Consent, initSync } from './pkg/consent_capture.js';
import { deviceKey, keepReceipt, lastReceipt, payloadOf, signedBy, sign } from './keys.js';
import { ACKNOWLEDGEMENTS, deliver, flush } from './outbox.js';
import { read } from './store.js';
// The minified stylesheet that make bundle writes before bundling this module, as text (esbuild's text loader).
import STYLESHEET from './dist/consent-capture.css';
import './early.js';

// The bundle step writes the wasm's SRI hash here, so that a page that pins this module with `integrity` gets
// the module's wasm checked too. Compiled while it streams in, then instantiated with the glue's initSync:
// the glue's own loader, with fallbacks for servers that send wasm under another type, would cost every
// page its bytes (the wasm must be served as application/wasm).
let wasmReady;
const loadWasm = () => (wasmReady ??= WebAssembly.compileStreaming(fetch(new URL('./consent_capture_bg.wasm', import.meta.url), { integrity: WASM_INTEGRITY }))
  .then((module) => initSync({ module })));
// The wasm exports one method besides its constructor (see Consent::call in src/web/element.rs): the method's
// name, up to three texts, and fresh randomness and time for the methods that take them.
const call = (consent, method, first = '', second = '') => consent.call(method, first, second,
  crypto.getRandomValues(new Uint8Array(16)), Date.now());
// The verifier module, by a dynamic import of a literal path, so that every bundler splits it off with its wasm.
// The script-tag build pins it like the wasm (the bundle step writes its SRI hash here: a changed verifier could
// sign what the person refused). import() takes no integrity, so a module script carrying it is inserted
// first: it puts the module in the page's module map, or a failure there when the file differs, and import()
// then takes that very entry. The npm build has no hash here: the app's own bundle carries the verifier.
let verifierReady;
const importVerifier = () => (verifierReady ??= VERIFY_INTEGRITY
  ? importPinned('verifier', 'consent-capture-verify.js', VERIFY_INTEGRITY, () => import('./consent-capture-verify.js'))
  : import('./consent-capture-verify.js'));
// The destination module likewise (a changed one could send what the person refused), on pages that send.
let sendReady;
const importSend = () => (sendReady ??= SEND_INTEGRITY
  ? importPinned('destination', 'consent-capture-send.js', SEND_INTEGRITY, () => import('./consent-capture-send.js'))
  : import('./consent-capture-send.js'));
const importPinned = (what, file, integrity, load) => new Promise((done, failed) => {
  const script = h('script', { type: 'module', src: new URL(file, import.meta.url).href, integrity, crossorigin: true });
  script.onload = () => done(load());
  script.onerror = () => failed(new Error(`The ${what} module is not the one this element pins.`));
  document.head.append(script);
});
const warned = new Set();
let outboxChecked = false;

/** An element with attributes (null/false ones are left out) and optional text content. */
function h(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// The stylesheet travels inside this module, covered by its integrity, so that nothing can restyle the form
// (hiding Reject all or a purpose's choice) and no bundler can inline, minify or lose a CSS file. One
// constructed sheet serves every shadow root; style-src does not govern it (checked in three engines).
let sheet;
function adoptStyles(shadow) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLESHEET);
  }
  shadow.adoptedStyleSheets = [sheet];
  return shadow;
}

/** Shows `nodes` in `shadow` instead of what it held (a form drawn ahead of time has its own stylesheet). */
function showInShadow(shadow, ...nodes) {
  adoptStyles(shadow).replaceChildren(...nodes);
}

function fire(target, name, detail) {
  target.dispatchEvent(new CustomEvent(`consent-capture:${name}`, { bubbles: true, composed: true, detail }));
}

async function fetchText(url, what) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new Error(`The ${what} ${url} could not be fetched (${error.message}).`);
  }
  if (!response.ok) throw new Error(`The ${what} ${url} answered HTTP ${response.status}.`);
  return response.text();
}

function renderField(field) {
  const wrapper = h('div', { class: 'cc-field', part: 'field' });
  const attributes = {
    id: field.id, name: field.name, part: 'input', required: Boolean(field.required), 'aria-required': field.required ? 'true' : null,
    'aria-describedby': field.hidden ? null : field.errorId, maxlength: field.maxLength,
  };
  let control;
  let message = null;
  if (field.control === 'select') {
    control = h('select', attributes);
    control.append(h('option', { value: '' }, field.placeholder), ...field.options.map((o) => h('option', { value: o.value }, o.label)));
  } else if (field.control === 'textarea') {
    control = h('textarea', attributes);
  } else {
    control = h('input', { ...attributes, type: field.type, autocomplete: field.autocomplete });
  }
  if (field.hidden) {
    wrapper.append(control);
  } else {
    const label = h('label', { for: field.id, part: 'label' }, field.label);
    for (const aside of [field.required, field.sentAsTyped]) if (aside) label.append(h('span', { class: 'cc-aside' }, ` (${aside})`));
    message = h('p', { id: field.errorId, class: 'cc-message', part: 'message' });
    wrapper.append(...(field.type === 'checkbox' ? [control, label] : [label, control]), message);
  }
  return { wrapper, control, message };
}

function controlValue(control) {
  return control.type === 'checkbox' ? (control.checked ? 'true' : '') : control.value;
}

function renderPurposes(form) {
  const fieldset = h('fieldset', { part: 'purposes' });
  fieldset.append(h('legend', {}, form.purposesLegend));
  const choices = [];
  for (const purpose of form.purposes) {
    const wrapper = h('div', { class: 'cc-purpose', part: 'purpose' });
    const head = h('div', { class: 'cc-purpose-head' });
    if (purpose.choice) {
      const box = h('input', { id: purpose.id, type: 'checkbox', 'aria-describedby': purpose.descriptionId, part: 'choice', checked: purpose.choice.checked });
      head.append(box, h('label', { for: purpose.id, part: 'choice-label' }, purpose.name));
      choices.push({ purpose: purpose.purpose, box, heldByGpc: purpose.choice.heldByGpc });
    } else {
      head.append(h('strong', {}, purpose.name));
    }
    const description = h('div', { id: purpose.descriptionId, class: 'cc-description' });
    description.append(...purpose.lines.map((line) => h('p', { class: line.note ? 'cc-note' : 'cc-line' }, line.text)));
    wrapper.append(head, description);
    fieldset.append(wrapper);
  }
  fieldset.appendChild(h('p')).append(h('a', { href: form.policy.href, target: '_blank', rel: 'noopener noreferrer', part: 'policy' }, form.policy.text));
  return { fieldset, choices };
}

// Accept all and Reject all are plain buttons that submit with all choices on or off (set only when that
// submission goes ahead), so the only submit button (Enter in a field) is "send with my choices". All three
// look the same.
function renderActions(form, withSave) {
  const actions = h('div', { class: 'cc-actions', part: 'actions' });
  const buttons = {};
  for (const { action, text } of form.actions) {
    if (action === 'save' && !withSave) continue;
    buttons[action] = h('button', { type: action === 'save' ? 'submit' : 'button', value: action, part: 'button', class: 'cc-button' }, text);
    actions.append(buttons[action]);
  }
  return { actions, buttons };
}

// The view's texts hold U+E000 where its date goes (receipt_view::DATE in the core): the date as people write
// dates in `language` (or in ISO 8601 where Intl does not take the tag), isolated by its first strong character.
function dating(view, language) {
  let when;
  try {
    when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(view.issuedAt * 1000);
  } catch {
    when = new Date(view.issuedAt * 1000).toISOString();
  }
  return (text) => text.replace('\uE000', `\u2068${when}\u2069`);
}

function renderReceipt(view, jws, withAgain, language) {
  const dated = dating(view, language);
  const panel = h('section', { class: 'cc-receipt', part: 'receipt', 'aria-labelledby': 'cc-receipt-heading' });
  const heading = h('h2', { id: 'cc-receipt-heading', tabindex: '-1' }, view.heading);
  const delivery = h('p', { role: 'status', class: 'cc-delivery', part: 'delivery' });
  const told = h('p', { role: 'status', class: 'cc-delivery' });
  panel.append(heading, delivery, told);
  for (const group of view.groups) {
    const list = h('ul');
    list.append(...group.items.map((item) => h('li', {}, item)));
    panel.append(h('p', { class: 'cc-receipt-label' }, dated(group.label)), list);
  }
  panel.append(...view.lines.map((line) => h('p', {}, dated(line))));
  const withdraw = [];
  if (view.withdraw.length) {
    const actions = h('div', { class: 'cc-actions' });
    for (const { purpose, text } of view.withdraw) {
      const button = h('button', { type: 'button', class: 'cc-button', part: 'button withdraw' }, text);
      actions.append(button);
      withdraw.push({ purpose, button });
    }
    panel.append(actions);
  }
  const downloads = panel.appendChild(h('p'));
  downloads.append(h('a', { href: `data:application/jose,${jws}`, download: view.download.fileName, part: 'download' }, view.download.text));
  const again = withAgain ? panel.appendChild(h('button', { type: 'button', class: 'cc-button', part: 'button again' }, view.again.button)) : null;
  return { panel, heading, withdraw, delivery, told, again, downloads };
}

/** The page a submission was made on, for CRMs that record it: without query or fragment, which may hold data. */
function pageContext() {
  return { uri: location.origin + location.pathname, title: document.title };
}

/**
 * Where submissions go, or null when nowhere: `{ endpoint, destination }`, the endpoint attribute's URL (only
 * http(s); '' for the description's own) and the destination: `{ description }` from the `destination` property
 * (a description of the site's own), else `{ name }` from the `adapter` attribute (a shipped one, which the
 * destination module carries), else the json one.
 */
function destinationOf(element, own) {
  const attribute = element.getAttribute('endpoint');
  if (!attribute && !own && !element.hasAttribute('adapter')) return null;
  const url = attribute ? new URL(attribute, document.baseURI) : null;
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`The endpoint ${attribute} is not an http(s) URL.`);
  const destination = own ? { description: JSON.stringify(own) } : { name: element.getAttribute('adapter') ?? 'json' };
  return { endpoint: url?.href ?? '', destination };
}

// Outside a browser (Node, Deno, a server renderer importing the page's modules) the class extends nothing and
// nothing registers: importing this module there does nothing.
class ConsentCapture extends (globalThis.HTMLElement ?? Object) {
  static observedAttributes = ['notice', 'lang', 'for', 'notice-signature', 'controller-key', 'notice-min-revision', 'endpoint', 'adapter'];
  #noticeObject = null;
  #destination = null;
  #generation = 0;
  #scheduled = false;
  #view = null; // what the current render owns: { consent, root, slot, abort, … }
  #refused = ''; // what the next render's receipt panel says: a withdrawal the site refused

  /** The notice: the `notice` attribute's URL, or an object assigned to this property. */
  get notice() { return this.#noticeObject ?? this.getAttribute('notice'); }
  set notice(value) {
    if (typeof value === 'string') {
      this.#noticeObject = null;
      this.setAttribute('notice', value);
    } else {
      this.#noticeObject = value;
      this.#schedule();
    }
  }

  /** Where submissions go, as a destination description (an object), instead of the `adapter` attribute's. */
  get destination() { return this.#destination; }
  set destination(value) { this.#destination = value; this.#schedule(); }

  /** True once the form is live: before, early.js holds what is pressed in it. */
  get ready() { return this.#view !== null; }

  /**
   * What a submission would send now, without sending or signing anything: `{ payload, manifest, decisions }`
   * (the destination module's shapeRequest makes any CRM's request of them), or null before the form is shown.
   */
  preview() {
    return this.#view ? JSON.parse(this.#view.preview()) : null;
  }

  connectedCallback() {
    // A notice assigned before this class was defined (a framework that renders first and imports this module
    // later) is an own property that hides the accessor: it is taken over, not lost.
    if (Object.hasOwn(this, 'notice')) {
      const notice = this.notice;
      delete this.notice;
      this.notice = notice;
    }
    this.#schedule();
  }
  attributeChangedCallback() { if (this.isConnected) this.#schedule(); }
  disconnectedCallback() { this.#unmount(); }

  // Attribute callbacks and connection arrive together on upgrade: render once for all of them.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => { this.#scheduled = false; this.#render(); });
  }

  #unmount() {
    if (!this.#view) return;
    this.#view.abort.abort();
    this.#view.root.remove();
    this.#view.slot?.remove();
    this.#view.consent.free();
    this.#view = null;
  }

  async #render() {
    const generation = ++this.#generation;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    try {
      const sendsTo = destinationOf(this, this.#destination);
      // Everything starts at once: the notice (and its signature), the wasm, the device key and the last
      // receipt. The form shows when the notice and the wasm are there; only a submission waits for the key.
      const { text: noticeText, key } = this.#loadNotice();
      const signatureText = this.#fetchNoticeSignature();
      const device = deviceKey();
      const previous = lastReceipt(key);
      // A page that sends reads its destination against the notice before the form goes live: a destination
      // that cannot be read stops the form, as a notice that cannot be read does.
      const sending = sendsTo && Promise.all([importSend(), noticeText])
        .then(async ([send, notice]) => ({ send, notice, ...sendsTo,
          ...(await send.readDestination(sendsTo.destination, notice, sendsTo.endpoint)) }));
      const [text, , , last, sends] = await Promise.all([noticeText, loadWasm(), signatureText, previous, sending]);
      const signature = await this.#checkNoticeSignature(text, await signatureText);
      this.#checkRevision(text);
      // Choices come back only from the last receipt this device's key signed (checked here), never from
      // storage that any script of the origin could write: nothing else is shown as the person's own.
      const own = last && (await signedBy(await device, last)) ? last : undefined;
      if (generation !== this.#generation || !this.isConnected) return;
      // Submissions an earlier visit could not send go now (never anything of this visit before it submits).
      if (!outboxChecked) { outboxChecked = true; flush(); }
      // A new language (or any attribute) renders the same notice again: what was typed and ticked stays.
      const carried = this.#view?.text === text ? this.#view.kept() : null;
      this.#unmount();
      const languages = [this.getAttribute('lang'), ...navigator.languages].filter(Boolean);
      const options = {
        languages, gpc: navigator.globalPrivacyControl === true, stored: own,
        noticeSignature: signature, endpoint: sends?.url, destinationSha256: sends?.sha256,
      };
      const consent = new Consent(text, JSON.stringify(options));
      const { form, receipt, noticeSha256 } = JSON.parse(call(consent, 'form'));
      const formId = this.getAttribute('for');
      const site = formId ? document.getElementById(formId) : null;
      if (formId && !(site instanceof HTMLFormElement)) {
        consent.free();
        throw new Error(`There is no <form id="${formId}"> on this page.`);
      }
      const held = this.dataset.heldAction;
      delete this.dataset.heldAction;
      const early = carried ? null : drawnEarly(site ? site.querySelector('.consent-capture-choices')?.shadowRoot : shadow);
      // What a person did in a form rendered ahead of time counts only when it showed this notice in this
      // language: typed values carry over in any case, ticks and a held press only then.
      const same = early?.root.dataset.notice === noticeSha256 && early.root.lang === form.language;
      if (early && !same) console.warn('consent-capture: the form rendered ahead of time is not of this notice and language; render it again (consent-capture render).');
      const stored = form.purposes.filter((p) => p.choice?.checked).map((p) => p.purpose);
      const kept = early && [early.typed, same ? [...new Set([...early.ticked(form), ...(held ? [] : stored)])] : stored];
      const ready = device.then(({ jwk }) => {
        if (this.#view?.consent !== consent) return;
        call(consent, 'setDevice', JSON.stringify(jwk));
      });
      ready.catch(() => {}); // a submission reports it; without one there is nothing to say
      this.#mountView({
        consent, form, site, device, ready, key, generation, shadow, sends, text,
        carried: carried ?? kept, drawn: same ? early.root : null, held: !early || same ? held : null,
      });
      this.#view.last = own;
      if (receipt) {
        const shown = this.#showReceipt(this.#view, receipt, own, false);
        shown.delivery.textContent = this.#refused;
        this.#refused = '';
        // Kept as [acknowledgement, SHA-256 of the body sent, log proof, fork evidence] (by earlier versions as
        // the acknowledgement alone, or without the last two).
        const acknowledgement = await read(ACKNOWLEDGEMENTS, payloadOf(own).consentReceiptID).catch(() => null);
        if (acknowledgement) this.#acknowledged(shown, receipt, own, ...[].concat(acknowledgement));
      }
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#unmount();
      const message = String(error?.message ?? error);
      // A visitor reads one sentence, in the page's own words where it gives them (`unavailable`); what went
      // wrong is for the site's developers, in the console and the event.
      showInShadow(shadow, h('p', { role: 'alert', part: 'error', class: 'cc-error' }, this.getAttribute('unavailable') ?? 'This form cannot be shown.'));
      console.error(`consent-capture: ${message}`);
      fire(this, 'error', { message });
    }
  }

  #mountView({ consent, form, site, device, ready, key, generation, shadow, sends, text, carried, drawn, held }) {
    const abort = new AbortController();
    const listen = (target, type, handler) => target.addEventListener(type, handler, { signal: abort.signal });
    let root = h('div', { part: 'root', class: 'cc-root', lang: form.language, dir: form.dir });
    if (form.noticeChanged) root.append(h('p', { class: 'cc-note', part: 'note' }, form.noticeChanged));
    const { fieldset, choices } = renderPurposes(form);
    let fields = [];
    let summary = null;
    let ownForm = null;
    let slot = null;
    if (site) {
      const { actions } = renderActions(form, false);
      root.append(fieldset, actions);
      // Choices drawn ahead of time are replaced in place when they cannot be taken over.
      slot = site.querySelector('.consent-capture-choices');
      if (!slot) {
        slot = h('div', { class: 'consent-capture-choices' });
        const submitButton = site.querySelector('button:not([type]), button[type="submit"], input[type="submit"]');
        if (submitButton) submitButton.before(slot); else site.append(slot);
      }
      warnAboutUndeclared(site, JSON.parse(call(consent, 'declaredFields')));
    } else {
      ownForm = h('form', { part: 'form', class: 'cc-form', novalidate: true });
      const details = h('fieldset', { part: 'fields' });
      details.append(h('legend', {}, form.detailsLegend));
      fields = form.fields.map((field) => {
        const { wrapper, ...rendered } = renderField(field); // its control and message
        details.append(wrapper);
        return { ...field, ...rendered };
      });
      summary = h('p', { role: 'alert', class: 'cc-summary', part: 'summary' });
      const { actions } = renderActions(form, true);
      ownForm.append(details, fieldset, summary, actions);
      root.append(ownForm);
    }
    // A form drawn ahead of time with the very elements rendered here is taken over as it is, so that nothing
    // moves and what the person is typing keeps its focus and caret; any other is replaced.
    const twin = drawn && twinOf(root, drawn);
    if (twin) {
      root = drawn;
      ownForm = twin(ownForm);
      summary = twin(summary);
      ownForm?.removeAttribute('method');
      fields = fields.map((field) => ({ ...field, control: twin(field.control), message: twin(field.message) }));
      for (const choice of choices) choice.box = twin(choice.box);
    } else {
      showInShadow(slot?.shadowRoot ?? slot?.attachShadow({ mode: 'open' }) ?? shadow, root);
    }
    if (site) showInShadow(shadow);
    if (carried) {
      const [typed, ticked] = carried;
      for (const [name, value] of twin ? [] : typed) {
        const control = fields.find((f) => f.name === name)?.control;
        if (control?.type === 'checkbox') control.checked = value === 'true';
        else if (control) control.value = value;
      }
      for (const choice of choices) choice.box.checked = ticked.includes(choice.purpose);
    }
    const ticked = () => choices.filter((c) => c.box.checked).map((c) => c.purpose);
    const granted = () => JSON.stringify(ticked());
    const values = () => (site
      ? [...new FormData(site)].map(([name, value]) => [name, typeof value === 'string' ? value : ''])
      : fields.map((f) => [f.name, controlValue(f.control)]));
    const preview = () => call(consent, 'preview', JSON.stringify(values()), granted());
    const kept = () => [values(), ticked()];
    // `submitting` while a submission is signed (a second click is the same action); `sent` after one was
    // made in this view, until the person chooses to send again.
    const view = {
      consent, root, slot, abort, receipt: null, signing: null, sends, preview, text, kept, submitting: false, sent: false,
      // The purpose's box goes off once its withdrawal is signed, not before.
      withdraw: (purpose) => hand(() => call(consent, 'withdraw', purpose))
        .then((signed) => {
          const box = choices.find((c) => c.purpose === purpose)?.box;
          if (signed && box?.checked) { box.checked = false; change(purpose, false); }
        }),
      sendAgain: () => {
        view.sent = false;
        ownForm?.removeAttribute('hidden');
        root.querySelector('input:not([type=hidden]), select, textarea')?.focus();
      },
    };
    this.#view = view;
    const change = (purpose, value) => fire(this, 'change', { purpose, granted: value });
    for (const choice of choices) listen(choice.box, 'change', () => change(choice.purpose, choice.box.checked));

    const submitTarget = site ?? ownForm;
    // One receipt at a time: each chains to the last, so a second submission waits for the first signature.
    const hand = (build) => {
      const signing = (view.signing ?? Promise.resolve())
        .then(() => ready)
        .then(async () => this.#deliver({ view, built: JSON.parse(build()), device: await device, key, generation }))
        .catch((error) => fire(this, 'error', { message: `The receipt could not be signed, so nothing was sent (${error?.message ?? error}).` }));
      view.signing = signing;
      return signing;
    };

    // What Accept all or Reject all asks for (null for Send with my choices). It takes effect only with the
    // submission it belongs to: when that is refused (a field to fix), the boxes keep what they showed.
    let asked = null;
    listen(submitTarget, 'submit', (event) => {
      event.preventDefault();
      // One action, one submission: a double click, or the site's button pressed again after sending, makes
      // no second receipt and no second lead. Sending again is the person's explicit choice.
      if (view.submitting) return;
      if (view.sent) {
        view.remind?.();
        return;
      }
      const typed = JSON.stringify(values());
      if (!site && !showProblems(JSON.parse(call(consent, 'check', typed)), fields, summary)) return;
      for (const choice of choices) {
        if (asked !== null && choice.box.checked !== asked && !(asked && choice.heldByGpc)) {
          choice.box.checked = asked;
          change(choice.purpose, asked);
        }
      }
      const chosen = granted();
      view.submitting = true;
      hand(() => call(consent, 'submit', typed, chosen))
        .finally(() => { view.submitting = false; });
    });
    for (const accept of [true, false]) {
      const button = root.querySelector(`button[value="${accept ? 'accept-all' : 'reject-all'}"]`);
      listen(button, 'click', () => {
        asked = accept;
        // Dispatches submit at once, or not at all (the site's own form may refuse it): either way, done here.
        submitTarget.requestSubmit();
        asked = null;
      });
    }
    // A press held before the form was live (early.js) is carried out now, as if it were made now.
    if (held === 'save') submitTarget.requestSubmit();
    else [...root.querySelectorAll('button[value]')].find((button) => button.value === held)?.click();
  }

  // Signs what the core built, keeps it for the chain and the next visit, shows it, tells the page, and sends
  // the destination's request through the outbox. Nothing is sent without a signed receipt.
  // True once signed.
  async #deliver({ view, built, device, key, generation }) {
    let receipt;
    let signed;
    try {
      receipt = await sign(device, built.signingInput);
      await keepReceipt(key, receipt);
      signed = JSON.parse(call(view.consent, 'signed', receipt));
    } catch (error) {
      fire(this, 'error', { message: `The receipt could not be signed, so nothing was sent (${error?.message ?? error}).` });
      return;
    }
    if (!built.detail.withdrawal) view.sent = true;
    // What the page is told: every decision (purpose, decision, legal basis) as signed, and for a withdrawal
    // what it takes back and the receipt it follows.
    const previous = view.last;
    view.last = receipt;
    const claims = payloadOf(receipt);
    const { decisions } = claims.consentCapture;
    const told = built.detail.withdrawal
      ? { decisions, withdrawn: decisions.filter((d) => d.decision === 'withdrawn').map((d) => d.purpose), previousReceiptId: payloadOf(previous)?.consentReceiptID }
      : { decisions };
    const shown = generation === this.#generation && this.#view === view;
    const panel = shown ? this.#showReceipt(view, signed, receipt, !built.detail.withdrawal) : null;
    // After a withdrawal there is nothing to send again: the form is open for a new message, as on a later
    // visit, and the panel that says what was withdrawn has focus.
    if (panel && built.detail.withdrawal) {
      view.sent = false;
      view.root.querySelector('form')?.removeAttribute('hidden');
      panel.heading.focus();
    }
    const { sends } = view;
    const page = pageContext();
    const request = sends?.send.shapeRequest(sends.destination, sends.notice, sends.endpoint, {
      withdrawal: !!built.detail.withdrawal, decisions, fields: built.detail.payload, receipt, receiptId: built.detail.receiptId,
      principal: claims.piiPrincipalId, language: claims.language, consentTime: claims.consentTimestamp, pageUri: page.uri, pageName: page.title,
    }) ?? null;
    // Consent Mode follows this element's own signed submission, never an event (any script can dispatch one).
    pushConsentMode(built.detail.consentMode);
    fire(this, 'submit', { ...built.detail, ...told, receipt, request });
    if (!request) return true;
    const { receiptId } = built.detail;
    const entry = { ...request, key: receiptId };
    // Not awaited: the next receipt (a withdrawal) must not wait on the network.
    deliver(entry, (state, httpStatus, reason, acknowledgement, ...kept) => {
      if (panel) panel.delivery.textContent = signed.delivery[state];
      // A withdrawal the site refused is not done: the receipt it would have followed comes back (kept, and
      // shown again with its Withdraw buttons and how else to withdraw), saying that it was not sent.
      if (state === 'failed' && built.detail.withdrawal && previous) {
        keepReceipt(key, previous).then(() => {
          this.#refused = signed.delivery.failed;
          this.#unmount();
          this.#schedule();
        });
      }
      if (panel && acknowledgement) this.#acknowledged(panel, signed, receipt, acknowledgement, ...kept);
      fire(this, 'delivery', { receiptId, state, status: httpStatus ?? null, reason: reason ?? null, acknowledgement: acknowledgement ?? null });
    });
    return true;
  }

  // The receipt's panel, with a button for each purpose to withdraw. After a submission it takes the form's
  // place (the site's form stays in enhance mode), with Send again, and gets focus; when a page loads with
  // the last receipt it comes after the form, so that a returning person can send a new message or withdraw.
  #showReceipt(view, receiptView, jws, afterSubmission) {
    view.receipt?.remove();
    const shown = renderReceipt(receiptView, jws, afterSubmission, view.root.lang);
    const { panel, heading, withdraw, told, again } = shown;
    const on = (button, handler) => button.addEventListener('click', handler, { signal: view.abort.signal });
    // A pressed withdraw button is disabled at once: a double click withdraws once.
    for (const { purpose, button } of withdraw) on(button, () => { button.disabled = true; view.withdraw(purpose); });
    view.root.append(panel);
    view.receipt = panel;
    if (!afterSubmission) return shown;
    on(again, () => { told.textContent = ''; view.sendAgain(); });
    view.root.querySelector('form')?.setAttribute('hidden', '');
    view.remind = () => { told.textContent = receiptView.again.told; again.focus(); };
    heading.focus();
    return shown;
  }

  // The controller's acknowledgement of a receipt, shown by the verifier module (which checks it, and that it
  // names the body sent when its hash is known), loaded only once an acknowledgement is there.
  // Takes (shown, receiptView, receipt, acknowledgement, bodySha256, proof, evidence).
  #acknowledged(...shown) {
    importVerifier()
      .then((verifier) => verifier.showAcknowledgement(this.getAttribute('controller-key'), ...shown))
      .catch(() => {}); // no verifier module on this site: the acknowledgement stays kept, and on the event
  }

  // With notice-signature and controller-key, the notice must be the one the pinned controller key signed.
  // The verifier module checks it (pages without a signed notice never load it), fetched with the signature.
  async #fetchNoticeSignature() {
    const source = this.getAttribute('notice-signature');
    const pin = this.getAttribute('controller-key');
    if (!source && !pin) return null;
    if (!source || !pin) throw new Error('notice-signature and controller-key go together.');
    const [jws, verifier] = await Promise.all([fetchText(new URL(source, document.baseURI), 'notice signature'), importVerifier()]);
    return { jws: jws.trim(), verifier };
  }

  async #checkNoticeSignature(noticeText, signed) {
    if (signed === null) return null;
    if (!(await signed.verifier.verifyNoticeSignature(noticeText, signed.jws, this.getAttribute('controller-key')))) {
      throw new Error('The notice signature does not verify with the controller key.');
    }
    return signed.jws;
  }

  // Whoever serves the notice could serve an older revision that the controller once signed (weaker wording):
  // with notice-min-revision the page says which revision it needs at least. Revisions compare as version
  // strings, runs of digits by their value (2026-11-22 < 2026-12-01, v2 < v10).
  #checkRevision(noticeText) {
    const least = this.getAttribute('notice-min-revision');
    if (!least) return;
    let revision;
    try { revision = String(JSON.parse(noticeText).revision); } catch { return; } // the core says what is wrong
    if (new Intl.Collator('en', { numeric: true }).compare(revision, least) < 0) {
      throw new Error(`The notice is revision ${revision}, older than the revision ${least} this page requires.`);
    }
  }

  /** The notice's text (a promise) and the key its choices and receipts are kept under. */
  #loadNotice() {
    if (this.#noticeObject) {
      return { text: Promise.resolve(JSON.stringify(this.#noticeObject)), key: `consent-capture:inline:${this.#noticeObject.controller?.name ?? ''}` };
    }
    const source = this.getAttribute('notice');
    if (!source) throw new Error('The notice attribute is missing.');
    const url = new URL(source, document.baseURI);
    return { text: fetchText(url, 'notice'), key: `consent-capture:${url.href}` };
  }
}

// The form drawn ahead of time in `scope` (a shadow root), if any: its root, what was typed in it (by name),
// and which of `form`'s purposes are ticked in it.
function drawnEarly(scope) {
  const root = scope?.querySelector('.cc-root[data-notice]');
  return root && {
    root,
    typed: [...root.querySelectorAll('[name]')].map((control) => [control.name, controlValue(control)]),
    ticked: (form) => form.purposes.filter((p) => p.choice && scope.getElementById(p.id)?.checked).map((p) => p.purpose),
  };
}

// Maps each element of `fresh` to the one in the same place of `drawn`, when both trees have the same
// elements (name and id) in the same order; null otherwise.
function twinOf(fresh, drawn) {
  const ours = [fresh, ...fresh.querySelectorAll('*')];
  const theirs = [drawn, ...drawn.querySelectorAll('*')];
  if (ours.length !== theirs.length || ours.some((node, i) => node.localName !== theirs[i].localName || node.id !== theirs[i].id)) return null;
  const pairs = new Map(ours.map((node, i) => [node, theirs[i]]));
  return (node) => node && pairs.get(node);
}

// Sets each field's message, marks it invalid, focuses the first problem; false when nothing may be sent.
function showProblems({ errors, summary }, fields, region) {
  let first = null;
  for (const field of fields) {
    // Own members only: a field named `constructor` or `toString` must not find Object.prototype's.
    const message = Object.hasOwn(errors, field.name) ? errors[field.name] : undefined;
    if (field.message) field.message.textContent = message ?? '';
    if (message) {
      field.control.setAttribute('aria-invalid', 'true');
      first ??= field.control;
    } else {
      field.control.removeAttribute('aria-invalid');
    }
  }
  region.textContent = summary ?? '';
  first?.focus();
  return !first;
}

// Said once per page and form: the site's fields that the notice does not declare never leave.
function warnAboutUndeclared(form, declared) {
  const names = [...new Set([...form.querySelectorAll('[name]')].map((e) => e.getAttribute('name')))];
  const undeclared = names.filter((name) => !declared.includes(name));
  const message = `consent-capture: the notice does not declare these fields of form#${form.id}, so they are never sent: ${undeclared.join(', ')}`;
  if (undeclared.length && !warned.has(message)) {
    warned.add(message);
    console.warn(message);
  }
}

// Google Consent Mode v2: tell gtag (or a bare dataLayer, the way gtag would) what was decided.
function pushConsentMode(update) {
  if (!update || Object.keys(update).length === 0) return;
  if (typeof window.gtag === 'function') {
    window.gtag('consent', 'update', update);
  } else if (Array.isArray(window.dataLayer)) {
    (function gtag() { window.dataLayer.push(arguments); })('consent', 'update', update);
  }
}

// Two copies of this module on one page (two bundles) register it once.
if (!globalThis.customElements?.get('consent-capture')) globalThis.customElements?.define('consent-capture', ConsentCapture);
