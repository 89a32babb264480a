import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { sendJson, startStandIn } from '../support/stand-in-server.js';
import { bearerFor } from '../support/test-token.js';

const secret = 'the resilience suite signs its own HS256 tokens';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A raw TCP server (a crashing upstream resets the connection, which no HTTP stand-in can). */
async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startGateway(env: Record<string, string>): Promise<ServiceProcess> {
  const gateway = startServiceProcess({ name: 'gateway', port: await freePort(), env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...env } });
  cleanups.push(() => gateway.stop());
  await waitUntilReady(gateway);
  return gateway;
}

describe('the gateway process towards failing upstreams', () => {
  it('retries a GET after connection resets but sends a POST once, and the client gets a 502 either way', async () => {
    let connections = 0;
    const memoryUrl = await listening(createTcpServer((socket) => {
      socket.once('data', (request: Buffer) => {
        // The gateway also reads the service's OpenAPI document (when it starts listening): not a proxied request.
        if (!request.toString('latin1').startsWith('GET /openapi.json ')) connections += 1;
        socket.resetAndDestroy();
      });
    }));
    const gateway = await startGateway({ MEMORY_SERVICE_URL: memoryUrl, UPSTREAM_RETRIES: '2' });
    const headers = await bearerFor({ secret, organisation: 'platform', permissions: [], atMs: Date.now() });
    const get = await fetch(`${gateway.url}/memory/v1/items`, { headers });
    expect(get.status).toBe(502);
    expect(connections).toBe(3);
    const post = await fetch(`${gateway.url}/memory/v1/items`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'exactly once' }) });
    expect(post.status).toBe(502);
    expect(await post.json()).toMatchObject({ code: 'GATEWAY_BAD_UPSTREAM_RESPONSE', upstream: 'memory' });
    expect(connections).toBe(4);
  });

  it('answers 504 within the timeout for a hung upstream, trips the breaker, and recovers when it answers again', async () => {
    let hanging = true;
    const { url: memoryUrl } = await startStandIn((_request, response) => {
      if (!hanging) sendJson(response, 200, { ok: true });
    });
    const gateway = await startGateway({ MEMORY_SERVICE_URL: memoryUrl, UPSTREAM_TIMEOUT_MS: '300', CIRCUIT_BREAKER_FAILURES: '2', CIRCUIT_BREAKER_COOLDOWN_MS: '500' });
    const headers = await bearerFor({ secret, organisation: 'platform', permissions: [], atMs: Date.now() });
    for (let index = 0; index < 2; index += 1) {
      const started = Date.now();
      const answer = await fetch(`${gateway.url}/memory/v1/items`, { headers });
      expect(answer.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    const open = await fetch(`${gateway.url}/memory/v1/items`, { headers });
    expect(open.status).toBe(503);
    expect(await open.json()).toMatchObject({ code: 'GATEWAY_CIRCUIT_OPEN', upstream: 'memory' });

    hanging = false;
    await expect.poll(async () => (await fetch(`${gateway.url}/memory/v1/items`, { headers })).status, { interval: 100, timeout: 5_000 }).toBe(200);
  });
});
