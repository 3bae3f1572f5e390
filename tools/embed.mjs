// What a site pastes to load the element from `base` (where dist/ is served), with integrity values computed
// from the files in `folder`. The recommended embed, which `make dist` prints: in <head>, the module, the
// early script and a preload of the wasm and the notice; where the form goes, the form `consent-capture
// render` draws from the notice into a declarative shadow root, which the browser shows as it parses the
// page. The early script is a classic one on purpose: it blocks parsing until it has run (it is a few hundred
// bytes), so that the form drawn after it never takes a press that nothing holds. The plain embed is the
// module's script tag and the element alone: the form then appears once the notice and the wasm are there.
// `node tools/embed.mjs FOLDER BASE NOTICE-URL NOTICE-FILE CLI [LANG]` prints both.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { integrity } from './integrity.mjs';

export function embed({ folder, base, notice }) {
  const file = (name) => join(folder, name);
  return {
    script: `<script type="module" src="${base}consent-capture.js" integrity="${integrity(file('consent-capture.js'))}" crossorigin="anonymous"></script>`,
    early: `<script src="${base}consent-capture-early.js" integrity="${integrity(file('consent-capture-early.js'))}" crossorigin="anonymous"></script>`,
    // `crossorigin` must match the element's own fetches, or the browser fetches twice (tests/e2e/script-tag);
    // the wasm's `integrity` is the one the module checks, which the Fetch spec requires for a preload's reuse.
    preload: [
      `<link rel="preload" href="${base}consent_capture_bg.wasm" as="fetch" crossorigin="anonymous" integrity="${integrity(file('consent_capture_bg.wasm'))}">`,
      `<link rel="preload" href="${notice}" as="fetch" crossorigin="anonymous">`,
    ].join('\n'),
  };
}

/**
 * The form drawn ahead of time from the notice in `noticeFile` by the CLI at `cli` (see `consent-capture render`),
 * its stylesheet pinned with the integrity of the one in `folder`.
 */
export function rendered({ cli, folder, noticeFile, notice, base, lang, form }) {
  const args = ['render', noticeFile, '--notice-url', notice, '--stylesheet', `${base}consent-capture.css`,
    '--stylesheet-integrity', integrity(join(folder, 'consent-capture.css'))];
  if (lang) args.push('--lang', lang);
  if (form) args.push('--for', form);
  return execFileSync(cli, args, { encoding: 'utf8' }).trim();
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [folder, base, notice, noticeFile, cli, lang] = process.argv.slice(2);
  const { script, early, preload } = embed({ folder, base, notice });
  console.log(`Recommended: in <head>, the module, the early script and the preloads:
${script}
${early}
${preload}
where the form goes, the form drawn from ${noticeFile} (consent-capture render; draw it again whenever the notice or consent-capture changes):
${rendered({ cli, folder, noticeFile, notice, base, lang })}

The plain embed (the form appears once its notice and wasm are there): the module's script tag, and
<consent-capture notice="${notice}"></consent-capture>`);
}
