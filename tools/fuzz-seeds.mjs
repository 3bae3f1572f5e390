// Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the shared vectors, the demo notice and
// real receipts, so that every target starts from inputs that reach deep into its code. Safe to run again:
// files are named by their content's hash, and what the fuzzers added stays.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const shared = join(root, '../shared/vectors');
const read = (path) => readFileSync(path, 'utf8');
const seeds = { json: [], notice: [], receipt: [], jws: [], transform: [], adapter: [], destination: [] };

const demoNotice = read(join(root, 'www/demo/notice.json'));
const everyBasis = read(join(root, 'receiver/tests/records/every-basis.json'));
const receipts = JSON.parse(read(join(root, 'tests/corpus/receipts.json'))).map((c) => c.jws).filter(Boolean);
const cases = JSON.parse(read(join(shared, 'jws/jws-cases.json'))).map((c) => c.jws).filter(Boolean);
const vectors = readdirSync(join(shared, 'jws')).filter((f) => f.endsWith('.jws')).map((f) => read(join(shared, 'jws', f)).trim());
const payloads = receipts.map((jws) => Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));

seeds.json.push(demoNotice, everyBasis, ...payloads, read(join(shared, 'kantara/kantara-consent-receipt-v1_1-example.json')));
for (const file of readdirSync(join(shared, 'jcs/input'))) seeds.json.push(read(join(shared, 'jcs/input', file)));
seeds.notice.push(demoNotice, everyBasis);
for (const file of readdirSync(join(root, 'destinations'))) seeds.destination.push(read(join(root, 'destinations', file)));
seeds.receipt.push(...receipts, ...cases, ...vectors);
seeds.jws.push(...cases, ...vectors, read(join(root, 'www/demo/notice.jws')).trim(),
  ...receipts.slice(0, 8).map((receipt) => `${receipt}\n${receipt}`));
const types = ['text', 'email', 'tel', 'date', 'postcode', 'country', 'select', 'textarea', 'checkbox', 'hidden'];
const byte = (type) => String.fromCharCode(types.indexOf(type));
for (const [type, rule, value] of [
  ['email', 'sha256:email', ' Jane.Doe@GMail.com '], ['tel', 'sha256:phone', '020 7946 0000'],
  ['text', 'sha256:name', 'Ada  Lovelace'], ['text', 'sha256:plain', 'x'], ['text', 'truncate:5', 'Analytical'],
  ['date', 'year', '1815-12-10'], ['date', 'age-band', '1990-02-28'], ['postcode', 'postcode-prefix:3', 'SW1A 1AA'],
  ['postcode', 'postcode-outward', 'EC1A 1BB'], ['hidden', 'ip-truncate', '2001:db8::1'], ['hidden', 'ip-truncate', '192.0.2.77'],
  ['text', 'mask:4', '4111111111111111'], ['text', 'keep', 'kept'], ['text', 'drop', 'dropped'],
]) seeds.transform.push(`${byte(type)}${rule}\n${value}`);
// Every platform's rule for every identifier it matches (the reader refuses the rest, which is a seed too).
const platforms = ['google', 'meta', 'uid2', 'euid', 'tiktok', 'linkedin', 'pinterest', 'snap'];
for (const [type, identifier, value] of [
  ['email', 'email', ' Cloudy.SanFrancisco+shopping@GMail.com '], ['tel', 'phone', '+44 (0)20 7946 0958'],
  ['text', 'name', ' Mary-Ann '], ['text', 'city', 'St. Albans'], ['postcode', 'postcode', '94107-1234'],
  ['country', 'country', 'GB'], ['date', 'birthdate', '0907-12-10'], ['select', 'gender', 'Non-binary'],
]) for (const platform of platforms) seeds.transform.push(`${byte(type)}sha256:${identifier}:${platform}\n${value}`);
seeds.adapter.push(JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', company: 'Engines', topic: 'sales', phone: '+44 20 7946 0000' }),
  JSON.stringify({ name: '<img src=x onerror=alert(1)>', email: 'a@b.c', unknown: 'x', topic: 'support' }));

for (const [target, inputs] of Object.entries(seeds)) {
  const folder = join(root, 'fuzz/corpus', target);
  mkdirSync(folder, { recursive: true });
  for (const input of inputs) writeFileSync(join(folder, createHash('sha256').update(input).digest('hex').slice(0, 16)), input);
  console.log(`fuzz seeds: ${target}: ${inputs.length}`);
}
