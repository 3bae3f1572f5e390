// <consent-capture notice="URL" [lang="de"]>: fetches the notice, loads the wasm once, and renders the
// consent form in an open shadow root. Events: consent-capture:submit and consent-capture:error.
import init, { mount } from './pkg/consent_capture.js';

let wasmReady;
const loadWasm = () => (wasmReady ??= init());
const stylesheet = new URL('consent-capture.css', import.meta.url).href;

class ConsentCapture extends HTMLElement {
  static observedAttributes = ['notice', 'lang'];
  #mount = null;
  #generation = 0;
  #scheduled = false;

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
  }

  async #render() {
    const generation = ++this.#generation;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    try {
      const source = this.getAttribute('notice');
      if (!source) throw new Error('the notice attribute is missing');
      const [text] = await Promise.all([fetchNotice(new URL(source, document.baseURI)), loadWasm()]);
      if (generation !== this.#generation || !this.isConnected) return;
      this.#unmount();
      root.replaceChildren(styleLink());
      const languages = [this.getAttribute('lang'), ...navigator.languages].filter(Boolean).join(',');
      this.#mount = mount(this, root, text, languages);
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

if (!customElements.get('consent-capture')) customElements.define('consent-capture', ConsentCapture);
