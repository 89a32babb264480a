import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

// Regression (issue #21, upstream faults): undici's headers timeout starts only once a request has
// one of the pool's connections. A burst larger than UPSTREAM_CONNECTIONS to an upstream that
// hangs queued behind the hung requests and got its 504 only after they had timed out — round
// after round, up to seven times the timeout for a burst of 30 over 8 connections.
describe('a request waiting for one of an upstream\'s connections', () => {
  it('gets its 504 at the timeout, however many hung requests are ahead of it', async () => {
    const timeoutMs = 300;
    const memory = await startUpstream(() => {
      // Never answers.
    });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: String(timeoutMs), UPSTREAM_CONNECTIONS: '2', CIRCUIT_BREAKER_FAILURES: '100' });
    const headers = await signedIn(['memory:read', 'memory:write']);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        // GETs and POSTs alike: a body's upload is not counted, the wait for a connection is.
        const answer = await gateway.inject(
          index % 2 === 0 ? { method: 'GET', url: `/memory/v1/items?caller=${index}`, headers } : { method: 'POST', url: '/memory/v1/items', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"caller":${index}}` },
        );
        return { status: answer.statusCode, code: (answer.json() as { code?: string }).code, ms: performance.now() - started };
      }),
    );
    expect(answers.map(({ status, code }) => `${status} ${code}`)).toEqual(Array(8).fill('504 GATEWAY_UPSTREAM_TIMEOUT'));
    // Four rounds of two connections would take four timeouts at the least.
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(3 * timeoutMs);
    // The two that had a connection were sent; those still queued at their deadline never are.
    expect(memory.received.length).toBeLessThanOrEqual(8);
    expect(memory.received.length).toBeGreaterThanOrEqual(2);
  });

  it('does not count a slow upload against the timeout', async () => {
    const timeoutMs = 300;
    const memory = await startUpstream((request, respond) => respond(200, JSON.stringify({ received: request.body.length })));
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: String(timeoutMs) });
    const headers = await signedIn(['memory:write']);
    // An upload that takes twice the timeout: the deadline covers getting a connection, not sending the body.
    async function* slowly(): AsyncGenerator<Buffer> {
      for (let part = 0; part < 6; part += 1) {
        yield Buffer.alloc(1_000, 'x');
        await new Promise((resolve) => setTimeout(resolve, timeoutMs / 3));
      }
    }
    const { Readable } = await import('node:stream');
    const answer = await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers: { ...headers, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, payload: Readable.from(slowly()) });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ received: 6_000 });
  });
});
