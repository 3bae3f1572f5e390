// `make demo`: the receiver (target/server/consent-capture-receiver) on 127.0.0.1:RECEIVER_PORT with the demo
// notice, the demo controller key and target/receiver.sqlite, and the demo on 127.0.0.1:DEMO_PORT (its page
// drawn by tools/showcase.mjs with the CLI in target/debug), whose render-mode form sends to it. The receiver's read side takes the token in target/demo-read-token (made once,
// at random). Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { CSP, serve } from './serve.mjs';
import { showcase } from './showcase.mjs';

const READ_TOKEN = 'target/demo-read-token';
if (!existsSync(READ_TOKEN)) writeFileSync(READ_TOKEN, randomBytes(32).toString('base64url'), { mode: 0o600 });

const [demoPort = '8080', receiverPort = '8081'] = process.argv.slice(2);
const receiverOrigin = `http://127.0.0.1:${receiverPort}`;
const receiver = spawn('target/server/consent-capture-receiver', [
  '--notice', 'www/demo/notice.json', '--key', 'tools/demo-controller.jwk', '--database', 'sqlite:target/receiver.sqlite',
  '--listen', `127.0.0.1:${receiverPort}`, '--allow-origin', `http://127.0.0.1:${demoPort}`, '--read-token', READ_TOKEN,
  '--public-url', receiverOrigin, '--demo',
], { stdio: 'inherit' });
receiver.on('exit', (code) => {
  console.error(`the receiver stopped (exit ${code})`);
  process.exit(code ?? 1);
});
// The showcase: the recommended embed, served compressed with a CDN's cache headers (tools/showcase.mjs).
const page = showcase({ cli: 'target/debug/consent-capture', csp: `${CSP}; connect-src 'self' ${receiverOrigin}` });
const server = await serve({ port: Number(demoPort), receiver: receiverOrigin, cdn: true, pages: { '/': page, '/index.html': page } });
console.log(`consent-capture demo: http://127.0.0.1:${server.address().port}/ (receiver: ${receiverOrigin})`);
console.log(`the receiver's read side: curl -H "Authorization: Bearer $(cat ${READ_TOKEN})" ${receiverOrigin}/records/PRINCIPAL`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    receiver.removeAllListeners('exit');
    receiver.kill('SIGTERM');
    server.close(() => process.exit(0));
  });
}
