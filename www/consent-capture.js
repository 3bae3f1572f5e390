// <consent-capture notice="URL" [lang="de"] [for="form-id"]>: fetches the notice, loads the wasm once, and
// renders the consent form in an open shadow root (or, with `for`, adds the purpose choices to the site's own
// form). Events: consent-capture:change, consent-capture:submit, consent-capture:error.
import init, { enhance, mount, Options } from './pkg/consent_capture.js';

let wasmReady;
const loadWasm = () => (wasmReady ??= init());
const stylesheet = new URL('consent-capture.css', import.meta.url).href;

class ConsentCapture extends HTMLElement {
  static observedAttributes = ['notice', 'lang', 'for'];
  #mount = null;
  #slot = null;
  #noticeObject = null;
  #generation = 0;
  #scheduled = false;

  constructor() {
    super();
    this.addEventListener('consent-capture:submit', (event) => pushConsentMode(event.detail.consentMode));
  }

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

  connectedCallback() { this.#schedule(); }
  attributeChangedCallback() { if (this.isConnected) this.#schedule(); }
  disconnectedCallback() { this.#unmount(); }

  // Attribute callbacks and connection arrive together on upgrade: render once for all of them.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => { this.#scheduled = false; this.#render(); });
  }

  #unmount() {
    this.#mount?.free();
    this.#mount = null;
    this.#slot?.remove();
    this.#slot = null;
  }

  async #render() {
    const generation = ++this.#generation;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    try {
      const { text, key } = await this.#loadNotice();
      await loadWasm();
      if (generation !== this.#generation || !this.isConnected) return;
      this.#unmount();
      root.replaceChildren(styleLink());
      const languages = [this.getAttribute('lang'), ...navigator.languages].filter(Boolean).join(',');
      const options = () => new Options(languages, navigator.globalPrivacyControl === true, key);
      const formId = this.getAttribute('for');
      if (formId) {
        const form = document.getElementById(formId);
        if (!(form instanceof HTMLFormElement)) throw new Error(`There is no <form id="${formId}"> on this page.`);
        this.#slot = choicesSlot(form);
        this.#mount = enhance(this, this.#slot.shadowRoot, form, text, options());
      } else {
        this.#mount = mount(this, root, text, options());
      }
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#unmount();
      const message = String(error?.message ?? error);
      const alert = document.createElement('p');
      alert.setAttribute('role', 'alert');
      alert.setAttribute('part', 'error');
      alert.className = 'cc-error';
      alert.textContent = `This form cannot be shown. ${message}`;
      root.replaceChildren(styleLink(), alert);
      this.dispatchEvent(new CustomEvent('consent-capture:error', { bubbles: true, composed: true, detail: { message } }));
    }
  }

  async #loadNotice() {
    if (this.#noticeObject) {
      return { text: JSON.stringify(this.#noticeObject), key: `consent-capture:inline:${this.#noticeObject.controller?.name ?? ''}` };
    }
    const source = this.getAttribute('notice');
    if (!source) throw new Error('The notice attribute is missing.');
    const url = new URL(source, document.baseURI);
    return { text: await fetchNotice(url), key: `consent-capture:${url.href}` };
  }
}

async function fetchNotice(url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new Error(`The notice ${url} could not be fetched (${error.message}).`);
  }
  if (!response.ok) throw new Error(`The notice ${url} answered HTTP ${response.status}.`);
  return response.text();
}

function styleLink() {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = stylesheet;
  return link;
}

// A shadow-rooted container for the purpose choices, placed before the form's submit button.
function choicesSlot(form) {
  const slot = document.createElement('div');
  slot.className = 'consent-capture-choices';
  slot.attachShadow({ mode: 'open' }).append(styleLink());
  const submit = form.querySelector('button:not([type]), button[type="submit"], input[type="submit"]');
  if (submit) submit.before(slot); else form.append(slot);
  return slot;
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

if (!customElements.get('consent-capture')) customElements.define('consent-capture', ConsentCapture);
