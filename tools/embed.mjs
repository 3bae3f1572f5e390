// What a site pastes to load the element from `base` (where dist/ is served), with integrity values computed
// from the files in `folder`: the module's script tag, and two optional preload hints that start fetching the
// wasm and the notice while the module itself downloads (the module would start them only once it runs).
// `node tools/embed.mjs FOLDER BASE NOTICE` prints them.
import { join } from 'node:path';
import { integrity } from './integrity.mjs';

export function embed({ folder, base, notice }) {
  const file = (name) => join(folder, name);
  return {
    script: `<script type="module" src="${base}consent-capture.js" integrity="${integrity(file('consent-capture.js'))}" crossorigin="anonymous"></script>`,
    // `crossorigin` must match the element's own fetches, or the browser fetches twice (tests/e2e/script-tag);
    // the wasm's `integrity` is the one the module checks, which the Fetch spec requires for a preload's reuse.
    preload: [
      `<link rel="preload" href="${base}consent_capture_bg.wasm" as="fetch" crossorigin="anonymous" integrity="${integrity(file('consent_capture_bg.wasm'))}">`,
      `<link rel="preload" href="${notice}" as="fetch" crossorigin="anonymous">`,
    ].join('\n'),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [folder, base, notice] = process.argv.slice(2);
  const { script, preload } = embed({ folder, base, notice });
  console.log(`The script tag, with its integrity value:\n${script}\nOptional, first in <head>: start the wasm and the notice downloading at once:\n${preload}`);
}
