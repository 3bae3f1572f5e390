// The import graph of a Rust crate's files, from their own `use` lines and `crate::`/`super::` paths (child
// modules included; comments and tests left out): how many files import each other in a circle, and, when the
// crate root lists its modules bottom-up (`// The map, from the bottom up`), which imports run back up that
// list. `node tools/imports.mjs src receiver/src` prints both; `--check` exits 1 when there is either.
// A script of our own: cargo-modules needs a nightly-only rust-analyzer build to install here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every `.rs` file under `root`, by module path (`json::value`; the crate root is ``). */
function modulesOf(root) {
  const modules = new Map();
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      // A folder with a main.rs of its own is another crate (the command line in src/cli/).
      if (entry.isDirectory()) { if (!readdirSync(path).includes('main.rs')) walk(path); }
      else if (entry.name.endsWith('.rs')) {
        let name = relative(root, path).slice(0, -3).split('/').join('::');
        if (name.endsWith('::mod')) name = name.slice(0, -5);
        if (name === 'lib' || name === 'main') name = '';
        modules.set(name, path);
      }
    }
  };
  walk(root);
  return modules;
}

/** `a::{b, c::{d}}` as `a::b`, `a::c::d`. */
function expand(tree) {
  const text = tree.trim();
  const open = text.indexOf('{');
  if (open < 0) return [text.split(/\s+as\s+/)[0].trim()];
  const prefix = text.slice(0, open);
  const inner = text.slice(open + 1, text.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let current = '';
  for (const char of inner) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (char === ',' && depth === 0) { parts.push(current); current = ''; } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts.flatMap((part) => expand(part).map((path) => prefix + path));
}

/** The module of `modules` that `path` (relative to `module`) names, or null outside the crate. */
function resolve(modules, module, path) {
  let parts;
  if (path.startsWith('crate::')) parts = path.slice(7).split('::');
  else if (path.startsWith('super::') || path.startsWith('self::')) {
    parts = module ? module.split('::') : [];
    let rest = path;
    if (rest.startsWith('self::')) rest = rest.slice(6);
    while (rest.startsWith('super::')) { parts = parts.slice(0, -1); rest = rest.slice(7); }
    parts = [...parts, ...rest.split('::')];
  } else {
    const [head] = path.split('::');
    const child = module ? `${module}::${head}` : head;
    if (!modules.has(child)) return null;
    parts = [...(module ? module.split('::') : []), ...path.split('::')];
  }
  for (let length = parts.length; length > 0; length -= 1) {
    const candidate = parts.slice(0, length).join('::');
    if (modules.has(candidate)) return candidate;
  }
  return null;
}

/** Each module's imports (other modules of the crate, never the root). */
export function importGraph(root) {
  const modules = modulesOf(root);
  const edges = new Map();
  for (const [module, path] of modules) {
    const text = readFileSync(path, 'utf8').split(/#\[cfg\(test\)\]\s*mod tests/)[0].replace(/\/\/[^\n]*/g, '');
    const targets = new Set();
    const add = (target) => { if (target && target !== module) targets.add(target); };
    for (const [, tree] of text.matchAll(/\buse\s+([^;]+);/g)) {
      for (const path of expand(tree.replace(/\s+/g, ' '))) add(resolve(modules, module, path));
    }
    for (const [path] of text.matchAll(/\bcrate(?:::[a-z_]+)+/g)) add(resolve(modules, module, path));
    edges.set(module, targets);
  }
  return { modules, edges };
}

/** The circles (strongly connected components of more than one file), by Tarjan's algorithm. */
export function circles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next += 1;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** The imports that run back up the order in which the crate root lists its modules, if it gives one. */
export function upward(root, edges) {
  const rootFile = ['lib.rs', 'main.rs'].map((file) => join(root, file)).find((path) => {
    try { return readFileSync(path, 'utf8').includes('// The map, from the bottom up'); } catch { return false; }
  });
  if (!rootFile) return null;
  const map = readFileSync(rootFile, 'utf8').split('// The map, from the bottom up')[1];
  const order = [...map.matchAll(/^(?:pub(?:\([^)]*\))?\s+)?mod\s+([a-z_]+);/gm)].map(([, name]) => name);
  const rank = new Map(order.map((name, i) => [name, i]));
  const top = (module) => module.split('::')[0];
  const found = [];
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (rank.has(top(from)) && rank.has(top(to)) && rank.get(top(to)) > rank.get(top(from))) found.push(`${from} -> ${to}`);
    }
  }
  return found.sort();
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const check = process.argv.includes('--check');
  let failed = false;
  for (const root of process.argv.slice(2).filter((arg) => arg !== '--check')) {
    const { modules, edges } = importGraph(root);
    const imports = [...edges.values()].reduce((sum, targets) => sum + targets.size, 0);
    const found = circles(edges);
    const inCircles = found.reduce((sum, circle) => sum + circle.length, 0);
    console.log(`${root}: ${modules.size} files, ${imports} imports, ${inCircles} files in ${found.length} circles`);
    for (const circle of found) console.log(`  circle: ${circle.join(', ')}`);
    const up = upward(root, edges);
    if (up) {
      console.log(`  ${up.length} imports running back up the map in the crate root`);
      for (const edge of up) console.log(`  up: ${edge}`);
    }
    if (found.length || up?.length) failed = true;
  }
  if (check && failed) process.exit(1);
}
