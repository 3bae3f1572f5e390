// Expands a JSON-LD document (a file, or stdin when none is named) with jsonld.js and prints the expanded
// form. Nothing may be fetched: a document whose context is not inline fails here, as it would offline.
import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';

const document = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
const refuseToFetch = async (url) => {
  throw new Error(`the document needs ${url}: its context must be inline`);
};
try {
  const expanded = await jsonld.expand(document, { documentLoader: refuseToFetch, safe: true });
  process.stdout.write(JSON.stringify(expanded));
} catch (error) {
  console.error(`not valid JSON-LD: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`);
  process.exit(1);
}
