// The libraries the benchmark compares, each embedded the way its README shows for a script-tag site, with a
// comparable configuration: two optional purposes (analytics, marketing) besides what is necessary, English
// texts. `files` maps URL prefixes to folders of the installed package (of the repository for consent-capture);
// `find` returns the banner or form once it exists (inside shadow roots where the library uses them), `button`
// its accept control; both run in the page.

import { mkdirSync, writeFileSync } from 'node:fs';
import { embed, rendered } from '../embed.mjs';

const PURPOSES = [
  { id: 'analytics', title: 'Analytics', description: 'We count visits to improve the site.' },
  { id: 'marketing', title: 'Marketing', description: 'We show you relevant offers.' },
];

// consent-capture is a form, not a banner: the comparable notice has the same two consent purposes and one
// field (an e-mail address, for a newsletter sign-up).
const NOTICE = {
  revision: '1', jurisdiction: 'GB', policyUrl: 'https://example.com/privacy', languages: ['en'],
  controller: { name: 'Example Ltd', contact: 'DPO', address: {}, email: 'dpo@example.com', phone: '+44 20 7946 0000' },
  purposes: PURPOSES.map((p) => ({
    id: p.id, legalBasis: 'consent', name: { en: p.title }, description: { en: p.description },
    termination: { en: '13 months' }, purposeCategory: ['7 - Marketing'], piiCategory: ['2 - Contact'],
  })),
  fields: [{ name: 'email', type: 'email', purposes: ['analytics', 'marketing'], label: { en: 'E-mail address' } }],
};

// The plain embed: the module's script tag and the element.
const oneTag = {
  name: 'consent-capture, one script tag',
  files: { '/cc/': 'www/dist/' },
  fromRepo: true,
  head: '<script type="module" src="/cc/consent-capture.js"></script>',
  body: '<consent-capture notice="/cc-notice.json" lang="en"></consent-capture>',
  extra: { '/cc-notice.json': JSON.stringify(NOTICE) },
  find: () => document.querySelector('consent-capture')?.shadowRoot?.querySelector('form'),
  button: () => document.querySelector('consent-capture')?.shadowRoot?.querySelector('button[value="accept-all"]'),
};

// The embed `make dist` prints (tools/embed.mjs): the module, the early script (in the page) and the preloads in
// <head>, and the form drawn ahead of time from the notice by the CLI (`make bench` builds it), its stylesheet in it.
const repository = new URL('../../', import.meta.url).pathname;
const noticeFile = `${repository}target/bench/notice.json`;
mkdirSync(`${repository}target/bench`, { recursive: true });
writeFileSync(noticeFile, JSON.stringify(NOTICE));
const dist = embed({ folder: `${repository}www/dist`, base: '/cc/', notice: '/cc-notice.json' });
const drawn = (form) => rendered({ cli: `${repository}target/debug/consent-capture`, folder: `${repository}www/dist`, noticeFile, notice: '/cc-notice.json', lang: 'en', form });
const recommended = { ...oneTag, name: 'consent-capture', head: `${dist.script}\n${dist.early}\n${dist.preload}`, body: drawn() };

// A site's own form (one e-mail field and its submit button) with the purpose choices inserted before the
// button: visible and interactive are the choices'; the shift is what their arrival moves.
const siteForm = (choices) => `<form id="site-form" action="/subscribe" method="post">
<label for="site-email">E-mail address</label> <input id="site-email" name="email" type="email" autocomplete="email">
${choices}<button type="submit">Subscribe</button>
</form>`;
const enhance = {
  find: () => document.querySelector('#site-form .consent-capture-choices')?.shadowRoot?.querySelector('[part~="purposes"]'),
  button: () => document.querySelector('#site-form .consent-capture-choices')?.shadowRoot
    ?.querySelector('[part~="actions"] button[value="accept-all"]'),
};

// The floor: the same form (one e-mail field, the two purposes unticked, three buttons) written by hand in the
// page, with no library and no script; nothing can be visible sooner or load less. Not a peer.
const floor = {
  name: 'floor: the same form in plain HTML',
  floor: true,
  files: {},
  head: '',
  body: `<form id="floor" action="/subscribe" method="post">
<label for="floor-email">E-mail address</label> <input id="floor-email" name="email" type="email" autocomplete="email">
<fieldset><legend>What may we use it for?</legend>
${PURPOSES.map((p) => `<p><input type="checkbox" id="floor-${p.id}" name="purpose" value="${p.id}"> <label for="floor-${p.id}">${p.title}</label>: ${p.description}</p>`).join('\n')}
</fieldset>
<button name="action" value="accept-all">Accept all</button> <button name="action" value="reject-all">Reject all</button>
<button name="action" value="save">Send with my choices</button>
</form>`,
  find: () => document.getElementById('floor'),
  button: () => document.querySelector('#floor button[value="accept-all"]'),
};

export const LIBRARIES = [
  recommended,
  oneTag,
  { ...recommended, ...enhance, name: 'consent-capture, enhance mode', body: siteForm(drawn('site-form')) },
  {
    ...oneTag, ...enhance, name: 'consent-capture, enhance mode, one script tag',
    body: `${siteForm('')}\n<consent-capture notice="/cc-notice.json" for="site-form" lang="en"></consent-capture>`,
  },
  {
    name: 'klaro',
    files: { '/klaro/': 'klaro/dist/' },
    head: `<script>var klaroConfig = ${JSON.stringify({
      version: 1, lang: 'en', privacyPolicy: 'https://example.com/privacy',
      services: PURPOSES.map((p) => ({ name: p.id, title: p.title, purposes: [p.id] })),
      translations: { en: { purposes: Object.fromEntries(PURPOSES.map((p) => [p.id, { title: p.title, description: p.description }])) } },
    })};</script>
<script defer type="text/javascript" src="/klaro/klaro.js"></script>`,
    body: '',
    find: () => document.querySelector('.klaro .cookie-notice, .klaro .cookie-modal'),
    button: () => document.querySelector('.klaro .cm-btn-success'),
  },
  {
    name: 'orejime',
    files: { '/orejime/': 'orejime/dist/' },
    head: `<link href="/orejime/orejime-standard.css" rel="stylesheet">
<script>window.orejimeConfig = ${JSON.stringify({
      privacyPolicyUrl: 'https://example.com/privacy',
      purposes: PURPOSES.map((p) => ({ id: p.id, title: p.title, description: p.description, cookies: [p.id] })),
    })};</script>
<script src="/orejime/orejime-standard-en.js"></script>`,
    body: '',
    find: () => document.querySelector('.orejime-Banner, .orejime-Notice'),
    button: () => document.querySelector('.orejime-Banner-saveButton, .orejime-Notice-saveButton, .orejime-Banner button'),
  },
  {
    name: 'vanilla-cookieconsent',
    files: { '/vcc/': 'vanilla-cookieconsent/dist/' },
    head: `<link rel="stylesheet" href="/vcc/cookieconsent.css">
<script type="module">
import '/vcc/cookieconsent.umd.js';
CookieConsent.run(${JSON.stringify({
      // By default it hides from automated browsers (navigator.webdriver), which is what drives this benchmark.
      hideFromBots: false,
      categories: { necessary: { enabled: true, readOnly: true }, ...Object.fromEntries(PURPOSES.map((p) => [p.id, {}])) },
      language: {
        default: 'en',
        translations: {
          en: {
            consentModal: { title: 'We use cookies', description: 'Choose what we may use.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Manage preferences' },
            preferencesModal: {
              title: 'Preferences', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save',
              sections: PURPOSES.map((p) => ({ title: p.title, description: p.description, linkedCategory: p.id })),
            },
          },
        },
      },
    })});</script>`,
    body: '',
    find: () => document.querySelector('#cc-main .cm'),
    button: () => document.querySelector('#cc-main .cm__btn'),
  },
  {
    name: 'cookieconsent',
    files: { '/osano/': 'cookieconsent/build/' },
    head: `<link rel="stylesheet" href="/osano/cookieconsent.min.css">
<script src="/osano/cookieconsent.min.js"></script>
<script>window.addEventListener('load', function () { window.cookieconsent.initialise(${JSON.stringify({
      type: 'opt-in', content: { message: 'We use cookies for analytics and marketing.', allow: 'Accept', deny: 'Decline', href: 'https://example.com/privacy' },
    })}); });</script>`,
    body: '',
    find: () => document.querySelector('.cc-window'),
    button: () => document.querySelector('.cc-window .cc-allow'),
  },
  {
    name: '@porscheofficial/cookie-consent-banner',
    files: { '/porsche/': '@porscheofficial/cookie-consent-banner/dist/' },
    head: '<script type="module" src="/porsche/cookie-consent-banner/cookie-consent-banner.esm.js"></script>',
    body: `<cookie-consent-banner btn-label-accept-and-continue="Accept" btn-label-only-essential-and-continue="Reject"
  btn-label-persist-selection-and-continue="Save" btn-label-select-all-and-continue="Select all"
  content-settings-description="Choose what we may use."></cookie-consent-banner>
<script>document.querySelector('cookie-consent-banner').availableCategories = ${JSON.stringify([
      { key: 'technically_required', label: 'Necessary', isMandatory: true },
      ...PURPOSES.map((p) => ({ key: p.id, label: p.title, description: p.description })),
    ])};</script>`,
    find: () => {
      const root = document.querySelector('cookie-consent-banner')?.shadowRoot;
      return root?.querySelector('.cc_box, [part~="body"], .cc, div');
    },
    button: () => [...(document.querySelector('cookie-consent-banner')?.shadowRoot?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent.trim() === 'Accept'),
  },
  floor,
];

/** The same page for every library: an article, and the library's embed. */
export function page(library) {
  const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1}. ${'The page content is the same for every library. '.repeat(6)}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benchmark: ${library.name}</title>
${library.head}
</head><body><main><h1>A page with a consent form</h1>
${library.body}
${paragraphs}</main></body></html>`;
}
