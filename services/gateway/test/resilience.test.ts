import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { buildGateway, manualClock, signedIn, startUpstream } from './helper.js';

/** A TCP server that accepts and at once resets connections: a crashing upstream, seen from the gateway. */
async function startResettingServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  closeWhenDone(close);
  return { url: `http://127.0.0.1:${address.port}`, connections: () => connections, close };
}

describe('resilience towards upstreams', () => {
  it('retries an idempotent request after a connection failure, and never a POST', async () => {
    const resetting = await startResettingServer();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: resetting.url, UPSTREAM_RETRIES: '2', CIRCUIT_BREAKER_FAILURES: '100' });
    const headers = await signedIn();
    const get = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(get.statusCode).toBe(502);
    expect(resetting.connections()).toBe(3);

    const post = await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"text":"once"}' });
    expect(post.statusCode).toBe(502);
    expect(resetting.connections()).toBe(4);
    await resetting.close();
  });

  it('spends at most the retry budget when an upstream fails for everyone', async () => {
    const resetting = await startResettingServer();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: resetting.url, UPSTREAM_RETRIES: '2', RETRY_BUDGET_RATIO: '0.1', CIRCUIT_BREAKER_FAILURES: '1000' });
    const headers = await signedIn();
    for (let index = 0; index < 100; index += 1) await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    // 100 requests: 10 retries to start with, plus 0.1 per request.
    expect(resetting.connections()).toBeLessThanOrEqual(100 + 10 + 10);
    expect(resetting.connections()).toBeGreaterThan(100);
    await resetting.close();
  });

  it('opens the circuit after consecutive failures, refuses at once, then closes it after a good probe', async () => {
    let healthy = false;
    const memory = await startUpstream((_request, respond) => (healthy ? respond(200, '{"ok":true}') : undefined));
    const clock = manualClock();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '100', CIRCUIT_BREAKER_FAILURES: '3', CIRCUIT_BREAKER_COOLDOWN_MS: '300' }, { clock });
    const headers = await signedIn();
    const hung = [];
    for (let index = 0; index < 3; index += 1) hung.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode);
    expect(hung).toEqual([504, 504, 504]);

    // Refused at once: without a connection to the upstream, with the whole cooldown still to wait.
    const refused = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'GATEWAY_CIRCUIT_OPEN', upstream: 'memory' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(memory.received).toHaveLength(3);
    clock.advance(299);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(503);
    expect(memory.received).toHaveLength(3);

    healthy = true;
    clock.advance(1);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(200);
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_upstream_circuit_state\{[^}]*upstream="memory"[^}]*\} 0/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="memory",outcome="UND_ERR_HEADERS_TIMEOUT"[^}]*\} 3/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="memory",outcome="circuit_open"/);
  });

  it('lets only one probe through a half-open circuit, and reopens it when the probe fails', async () => {
    const memory = await startUpstream(() => undefined);
    const clock = manualClock();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '100', CIRCUIT_BREAKER_FAILURES: '1', CIRCUIT_BREAKER_COOLDOWN_MS: '200' }, { clock });
    const headers = await signedIn();
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).statusCode).toBe(504);
    await expect.poll(() => memory.received.length).toBe(1);
    // After the cooldown: one probe (which hangs, then fails) while the others are refused at once.
    clock.advance(200);
    const answers = await Promise.all([1, 2, 3].map(() => gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })));
    expect(answers.map((answer) => answer.statusCode).sort().join(',')).toBe('503,503,504');
    expect(memory.received).toHaveLength(2);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers })).json()).toMatchObject({ code: 'GATEWAY_CIRCUIT_OPEN' });
  });

  it('uses a per-service timeout when one is configured', async () => {
    const memory = await startUpstream(() => undefined);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '30000', UPSTREAM_TIMEOUTS: 'memory:120' });
    const answer = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: await signedIn() });
    expect(answer.statusCode).toBe(504);
    // The answer names the timeout that fired: memory's own, not the 30 s default.
    expect(answer.json().detail).toContain('120 ms');
  });
});
