// A stand-in for auth's token endpoint and billing's entitlements and event inbox, answering
// as those services do, so the gateway can run with metering and quotas on while the harness
// measures it alone. It runs outside the measured process tree (run.sh starts it first) and
// counts the usage events it receives, so a run shows that every request was metered.
import { createServer } from 'node:http';

const port = Number(process.env.STAND_IN_PORT ?? 18090);
let events = 0;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const send = (status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/v1/oauth/token') return send(200, { access_token: 'bench-service-token', token_type: 'Bearer', expires_in: 3600 });
    if (request.url?.startsWith('/v1/entitlements/')) {
      return send(200, {
        planId: 'bench', periodStart: '2026-11-01T00:00:00.000Z', periodEnd: '2099-01-01T00:00:00.000Z',
        // A hard limit far away: the gateway counts every request against it, and never reaches it.
        metrics: [{ metric: 'api_calls', used: 0, included: 1_000_000_000_000, remaining: 1_000_000_000_000, limit: 'hard', hardLimitReached: false }],
      });
    }
    if (request.url === '/v1/events/usage') {
      events += JSON.parse(Buffer.concat(chunks).toString('utf8')).events.length;
      return send(200, { accepted: 0, duplicates: 0, deadLettered: 0 });
    }
    if (request.url === '/__events') return send(200, { events });
    return send(404, {});
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`billing stand-in on ${port}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`usage events received: ${events}\n`);
  process.exit(0);
});
