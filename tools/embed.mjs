// What a site pastes to load the element from `base` (where dist/ is served), with integrity values computed
// from the files in `folder`. The recommended embed, which `make dist` prints: in <head>, the module, the
// early script and a preload of the wasm and the notice; where the form goes, the form `consent-capture
// render` draws from the notice into a declarative shadow root, which the browser shows as it parses the
// page. The early script and the stylesheet are in the page itself: fetched, they were round trips before
// the form could show (docs/benchmarks.md). A strict CSP allows them by their hashes, which pin them as integrity
// pins a file. The early script is a classic one on purpose: it runs before the parser goes on, so that the
// form drawn after it never takes a press that nothing holds. The plain embed is the module's script tag and
// the element alone: the form then appears once the notice and the wasm are there.
// `node tools/embed.mjs FOLDER BASE NOTICE-URL NOTICE-FILE CLI [LANG]` prints both.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { integrity } from './integrity.mjs';

/** The CSP hash source of an inline element's text. */
export const hashSource = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export function embed({ folder, base, notice }) {
  const file = (name) => join(folder, name);
  const early = readFileSync(file('consent-capture-early.js'), 'utf8');
  // Raw text in a <script> ends at `</script`; ours never has one, and must not start to.
  if (/<\/script/i.test(early)) throw new Error('consent-capture-early.js contains </script and cannot be inline');
  return {
    script: `<script type="module" src="${base}consent-capture.js" integrity="${integrity(file('consent-capture.js'))}" crossorigin="anonymous"></script>`,
    early: `<script>${early}</script>`,
    // `crossorigin` must match the element's own fetches, or the browser fetches twice (tests/e2e/script-tag);
    // the wasm's `integrity` is the one the module checks, which the Fetch spec requires for a preload's reuse.
    preload: [
      `<link rel="preload" href="${base}consent_capture_bg.wasm" as="fetch" crossorigin="anonymous" integrity="${integrity(file('consent_capture_bg.wasm'))}">`,
      `<link rel="preload" href="${notice}" as="fetch" crossorigin="anonymous">`,
    ].join('\n'),
    // What a strict CSP adds for the early script and the stylesheet in the drawn form (render's <style> holds
    // the file as it is).
    hashes: { script: hashSource(early), style: hashSource(readFileSync(file('consent-capture.css'), 'utf8')) },
  };
}

/** `csp` with the embed's hash sources added to its script-src and style-src. */
export function withHashes(csp, { script, style }) {
  return csp.split(';').map((directive) => {
    const name = directive.trim().split(/\s+/)[0];
    if (name === 'script-src') return `${directive} ${script}`;
    if (name === 'style-src') return `${directive} ${style}`;
    return directive;
  }).join(';');
}

/**
 * The form drawn ahead of time from the notice in `noticeFile` by the CLI at `cli` (see `consent-capture render`),
 * with the stylesheet of `folder` in it.
 */
export function rendered({ cli, folder, noticeFile, notice, lang, form }) {
  const args = ['render', noticeFile, '--notice-url', notice, '--inline-stylesheet', join(folder, 'consent-capture.css')];
  if (lang) args.push('--lang', lang);
  if (form) args.push('--for', form);
  // Its stderr (the CSP hash, which embed() gives too) is shown only when it fails: then it says why.
  try {
    return execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    throw new Error(`consent-capture render failed: ${error.stderr || error.message}`);
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [folder, base, notice, noticeFile, cli, lang] = process.argv.slice(2);
  const { script, early, preload, hashes } = embed({ folder, base, notice });
  console.log(`Recommended: in <head>, the module, the early script and the preloads:
${script}
${early}
${preload}
where the form goes, the form drawn from ${noticeFile} (consent-capture render; draw it again whenever the notice or consent-capture changes):
${rendered({ cli, folder, noticeFile, notice, lang })}
With a Content-Security-Policy, add to script-src ${hashes.script} and to style-src ${hashes.style}
(they change with each release of consent-capture; a CSP that cannot list them: serve consent-capture-early.js
as <script src> and draw with consent-capture render --stylesheet, one round trip more each).

The plain embed (the form appears once its notice and wasm are there): the module's script tag, and
<consent-capture notice="${notice}"></consent-capture>`);
}
