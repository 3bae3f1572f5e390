// Installs the pinned peers (tools/bench/peers.json) into target/bench/peers, once: skipped when the installed
// versions already match.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const { packages } = JSON.parse(readFileSync(new URL('tools/bench/peers.json', root), 'utf8'));
const folder = new URL('target/bench/peers/', root);
const installed = (name) => {
  const manifest = new URL(`node_modules/${name}/package.json`, folder);
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : null;
};
const missing = Object.entries(packages).filter(([name, version]) => installed(name) !== version);
if (missing.length) {
  mkdirSync(folder, { recursive: true });
  console.log(`bench: npm install ${missing.map(([n, v]) => `${n}@${v}`).join(' ')}`);
  execFileSync('npm', ['install', '--prefix', folder.pathname, '--no-audit', '--no-fund', '--ignore-scripts', '--no-save',
    ...Object.entries(packages).map(([n, v]) => `${n}@${v}`)], { stdio: 'inherit' });
}
