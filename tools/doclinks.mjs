// Every relative link of README.md and docs/*.md leads somewhere: the file exists and, with a #fragment, a
// Markdown file has a heading of that slug (GitHub's: lowercase, punctuation dropped, spaces to hyphens).
// `node tools/doclinks.mjs` prints what does not, and exits 1 then (make lint runs it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** The slugs of a Markdown file's headings (outside code blocks). */
function anchors(path) {
  let fenced = false;
  const slugs = new Set();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && line.match(/^#{1,6}\s+(.*)$/);
    if (heading) slugs.add(heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-'));
  }
  return slugs;
}

/** `[text](target)` links outside code blocks and code spans, with their line numbers. */
function links(path) {
  let fenced = false;
  const found = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) return;
    for (const [, target] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) found.push({ target, line: index + 1 });
  });
  return found;
}

const documents = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))];
const broken = [];
for (const document of documents) {
  for (const { target, line } of links(document)) {
    if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
    const [file, fragment] = target.split('#');
    const path = file ? join(dirname(document), decodeURIComponent(file)) : document;
    const where = `${relative(root, document)}:${line}`;
    if (!existsSync(path)) broken.push(`${where}: ${target}: no such file`);
    else if (fragment && path.endsWith('.md') && !anchors(path).has(fragment)) broken.push(`${where}: ${target}: no such heading`);
  }
}
for (const problem of broken) console.log(problem);
if (broken.length) process.exit(1);
console.log(`${documents.length} documents: every relative link leads somewhere`);
