import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { startHttpUpstream } from '../../../tests/support/faulty-upstream.js';
import { buildGateway, signedIn } from './helper.js';

// Regression (issue #21, upstream faults): a client that gave up on a hung upstream left the
// gateway waiting for the answer on one of the upstream's connections until the timeout (30 s by
// default). Clients that retry on their own filled the pool with requests nobody waited for, and
// the next ones queued behind them. Envoy resets the upstream request when its client goes.
describe('a client that goes away before its answer came', () => {
  it.each(['GET', 'POST'])('frees the upstream connection its %s held at once, not at the timeout', async (method) => {
    let hanging = true;
    const held: Socket[] = [];
    const memory = await startHttpUpstream((request, response) => {
      held.push(request.socket);
      request.resume();
      if (!hanging) request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    // One connection: while the abandoned request held it, the next would wait for the timeout.
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '30000', UPSTREAM_CONNECTIONS: '1' });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    closeWhenDone(() => gateway.close());
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json' };

    const gone = httpRequest(`${base}/memory/v1/items`, { method, headers });
    gone.on('error', () => undefined);
    gone.end(method === 'POST' ? '{"text":"never waited for"}' : undefined);
    await vi.waitFor(() => expect(memory.received).toHaveLength(1), { timeout: 5_000 });
    gone.destroy();
    await vi.waitFor(() => expect(held[0]?.destroyed).toBe(true), { timeout: 2_000, interval: 10 });

    hanging = false;
    const started = performance.now();
    const next = await fetch(`${base}/memory/v1/items`, { headers });
    expect(next.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
