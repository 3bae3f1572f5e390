// A stand-in CRM endpoint for the delivery tests, in every engine.
import { createServer } from 'node:http';

/**
 * A CRM endpoint on loopback that answers each POST with the next entry of `plan` (a status, 'drop' to cut
 * the connection, or 'slow' for a 200 after two seconds), then 200, and records every request. It answers CORS
 * preflights for the site's origin, unless `cors` is false.
 */
export function crmServer() {
  const state = { plan: [], requests: [] };
  const server = createServer((request, response) => {
    const cors = {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Headers': 'content-type, idempotency-key, x-list',
      'Access-Control-Allow-Methods': 'POST, PUT',
    };
    if (request.method === 'OPTIONS' || request.method === 'HEAD') {
      // A preflight, or the outbox asking whether the endpoint is reachable at all: neither is a submission.
      response.writeHead(204, state.cors === false ? {} : cors).end();
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const planned = state.plan.shift() ?? 200;
      const answer = planned === 'slow' ? 200 : planned;
      state.requests.push({ path: request.url, method: request.method, key: request.headers['idempotency-key'] ?? null,
        type: request.headers['content-type'], list: request.headers['x-list'] ?? null, body, answer });
      if (answer === 'drop') {
        request.socket.destroy();
        return;
      }
      const reply = () => response.writeHead(answer, { ...(state.cors === false ? {} : cors), 'Content-Type': 'application/json' }).end('{}');
      if (planned === 'slow') setTimeout(reply, 2000); else reply();
    });
  });
  return { server, state };
}

