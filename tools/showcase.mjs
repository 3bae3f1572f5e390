// The demo page as `make demo` serves it: www/index.html with the embed docs/sites.md recommends. Both forms are
// drawn ahead of time by `consent-capture render` (render mode, and enhance mode's choices inside the site's
// form), the early script and the stylesheets are in the page (the demo's own too: a linked one blocked the
// first paint), allowed by their CSP hashes, and the wasm and the notice are preloaded. So the page shows both
// forms as it parses, nothing moves when the module arrives, and nothing waits for a second round trip.
// www/index.html stays the plain embed, which most end-to-end tests drive.
import { readFileSync } from 'node:fs';
import { embed, hashSource, rendered, withHashes } from './embed.mjs';

const root = new URL('../', import.meta.url);
const file = (path) => readFileSync(new URL(path, root), 'utf8');

/** Replaces the one `search` in `page` with `replacement`, failing when index.html no longer has it. */
function replaceOnce(page, search, replacement) {
  if (page.split(search).length !== 2) throw new Error(`www/index.html should hold exactly one ${search}`);
  return page.replace(search, () => replacement);
}

/**
 * The showcase page, drawn with the CLI at `cli` from www/dist and the demo notice, and the CSP to serve it with
 * (`csp` plus the hashes of what is inline).
 */
export function showcase({ cli, csp }) {
  const folder = new URL('www/dist', root).pathname;
  const noticeFile = new URL('www/demo/notice.json', root).pathname;
  const notice = 'demo/notice.json';
  const { script, early, preload, hashes } = embed({ folder, base: 'dist/', notice });
  const demoStyles = file('www/demo/demo.css');
  const draw = (options) => rendered({ cli, folder, noticeFile, notice, lang: 'en', ...options });
  let page = file('www/index.html');
  page = replaceOnce(page, '<link rel="stylesheet" href="demo/demo.css">', `<style>${demoStyles}</style>`);
  page = replaceOnce(page, '<script type="module" src="dist/consent-capture.js"></script>', `${script}\n${early}\n${preload}`);
  const renderMode = page.match(/<consent-capture id="rendered"([^>]*)><\/consent-capture>/);
  if (!renderMode) throw new Error('www/index.html should hold <consent-capture id="rendered" …></consent-capture>');
  // The drawn element with the page's own attributes (its id, the signature and the pinned key) added.
  const signature = renderMode[1].match(/notice-signature="[^"]*" controller-key="[^"]*"/)[0];
  page = replaceOnce(page, renderMode[0], draw({}).replace('<consent-capture ', `<consent-capture id="rendered" ${signature} `));
  // Enhance mode's drawn choices, without the element render prints after them: the page has its own.
  const choices = draw({ form: 'signup' }).replace(/<consent-capture [^>]*><\/consent-capture>$/, '');
  page = replaceOnce(page, '<button type="submit">Sign up</button>', `${choices}\n        <button type="submit">Sign up</button>`);
  return { body: page, csp: withHashes(csp, { script: hashes.script, style: `${hashes.style} ${hashSource(demoStyles)}` }) };
}
