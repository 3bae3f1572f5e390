// Rollup's usual configuration for an app with npm packages and JSON, and the plugin that emits what a module
// reaches with new URL('./file', import.meta.url) (the element's two wasm files).
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'app/main.js',
  output: { dir: process.env.OUT, format: 'es' },
  plugins: [nodeResolve(), json(), importMetaAssets()],
};
