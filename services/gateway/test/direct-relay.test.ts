import { createHash } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildGateway, signedIn, startGateway } from './helper.js';

/**
 * The gateway writes an upstream's ordinary answer straight to the client's socket (undici's
 * dispatch into a hijacked reply, issue #19), no longer through Fastify's stream handling. What
 * Fastify's pipe did for it must still hold, over real sockets: backpressure both ways, an answer
 * cut off upstream reaching the client cut off, a client that goes away releasing the upstream,
 * the connection closed during a drain, and the gateway's own headers on the answer.
 */

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function listening(gateway: ServiceApp): Promise<string> {
  await gateway.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => gateway.close());
  return `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
}

const relays = [
  { relay: 'straight to the socket', directRelay: true },
  { relay: "through Fastify's send (tracing on)", directRelay: false },
];

async function gatewayTo(handler: (response: ServerResponse, url: string) => void, directRelay: boolean): Promise<{ base: string; gateway: ServiceApp }> {
  // Only the API: the gateway fetches the service's /openapi.json itself, which must not get a 128 MiB answer.
  const upstream = await startStandIn((request, response) => (request.url.startsWith('/v1/') ? handler(response, request.url) : response.writeHead(404).end()));
  closers.push(() => upstream.close());
  const gateway = await buildGateway({ MEMORY_SERVICE_URL: upstream.url }, { directRelay });
  return { base: await listening(gateway), gateway };
}

const chunk = Buffer.alloc(64 * 1024, 'lift ');
// 128 MiB: far more than every socket buffer on the way can hold (a loopback receive buffer grows to 32 MiB here).
const chunks = 2048;

function get(url: string, headers: Record<string, string>, agent?: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { headers, ...(agent ? { agent } : {}) }, resolve);
    call.once('error', reject);
    call.end();
  });
}

/** The next request is answered, and in time: a connection a hang-up pinned would keep it waiting. */
async function expectAnsweredPromptly(url: string, headers: Record<string, string>): Promise<void> {
  const started = performance.now();
  const next = await get(url, headers);
  next.resume();
  expect(next.statusCode).toBe(200);
  expect(performance.now() - started).toBeLessThan(3_000);
}

describe.each(relays)('relaying an answer $relay', ({ directRelay }) => {
  const gatewayOf = (handler: (response: ServerResponse, url: string) => void) => gatewayTo(handler, directRelay);

  it('streams a large answer intact to a slow reader, and the upstream waits while the client does not read', async () => {
    const upstream = { written: 0, blocked: false };
    const { base } = await gatewayOf((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(chunk.length * chunks) });
      const writeMore = (): void => {
        while (upstream.written < chunks) {
          upstream.written += 1;
          if (!response.write(chunk)) {
            upstream.blocked = true;
            response.once('drain', () => {
              upstream.blocked = false;
              writeMore();
            });
            return;
          }
        }
        response.end();
      };
      writeMore();
    });
    const answer = await get(`${base}/memory/v1/export`, await signedIn());
    expect(answer.statusCode).toBe(200);
    answer.pause();
    // The client reads nothing: once the socket buffers on the way are full the upstream is held
    // up (nothing written for 300 ms), rather than the gateway reading the answer into memory.
    let seen = -1;
    let stableSince = performance.now();
    await vi.waitFor(
      () => {
        if (upstream.written !== seen) [seen, stableSince] = [upstream.written, performance.now()];
        expect(upstream.blocked && performance.now() - stableSince >= 300).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(upstream.written).toBeLessThan(chunks);

    const hash = createHash('sha256');
    let received = 0;
    answer.on('data', (data: Buffer) => {
      hash.update(data);
      received += data.length;
    });
    answer.resume();
    await new Promise((resolve) => answer.once('end', resolve));
    expect(received).toBe(chunk.length * chunks);
    const expected = createHash('sha256');
    for (let index = 0; index < chunks; index += 1) expected.update(chunk);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });

  it('cuts the client off when the upstream breaks off its answer, and answers the next request', async () => {
    const { base } = await gatewayOf((response, url) => {
      if (url !== '/v1/broken') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      response.write('{"partial":"');
      setImmediate(() => response.socket?.destroy());
    });
    const headers = await signedIn();
    const broken = await get(`${base}/memory/v1/broken`, headers);
    expect(broken.statusCode).toBe(200);
    const ending = await new Promise<string>((resolve) => {
      broken.resume();
      broken.once('end', () => resolve('complete'));
      broken.once('error', () => resolve('cut off'));
      broken.once('close', () => resolve(broken.complete ? 'complete' : 'cut off'));
    });
    expect(ending).toBe('cut off');

    const next = await get(`${base}/memory/v1/fine`, headers);
    expect(next.statusCode).toBe(200);
    next.resume();
  });

  it('releases the upstream when the client goes away mid-answer', async () => {
    const upstream = { closedEarly: false };
    const { base } = await gatewayOf((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write(chunk);
      // Never ends by itself: only a gateway that lets go closes it.
      response.once('close', () => (upstream.closedEarly = !response.writableEnded));
    });
    const answer = await get(`${base}/memory/v1/export`, await signedIn());
    await new Promise((resolve) => answer.once('data', resolve));
    answer.destroy();
    await vi.waitFor(() => expect(upstream.closedEarly).toBe(true), { timeout: 5_000 });
  });

  it('releases the upstream connection of a client that hung up before the answer came', async () => {
    const upstream = await startStandIn((_request, response) => setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 150));
    closers.push(() => upstream.close());
    // One connection to the upstream: a hang-up that held it would leave every later request waiting.
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: upstream.url, UPSTREAM_CONNECTIONS: '1' }, { directRelay });
    const base = await listening(gateway);
    const headers = await signedIn();
    for (let index = 0; index < 3; index += 1) {
      const gone = httpRequest(`${base}/memory/v1/search-${index}`, { headers });
      gone.on('error', () => undefined);
      gone.end();
      await vi.waitFor(() => expect(upstream.received.filter((request) => request.url.startsWith('/v1/search')).length).toBe(index + 1), { timeout: 5_000 });
      gone.destroy();
    }
    await expectAnsweredPromptly(`${base}/memory/v1/items`, headers);
  });

  // "Every access line kept" (issue #19): an answer that never finishes had no line and no count.
  it('keeps an access line, and a count, for an answer cut off upstream and for a client that hung up before its answer', async () => {
    const upstream = await startStandIn((request, response) => {
      if (request.url === '/v1/broken') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        response.write('{"partial":"');
        setImmediate(() => response.socket?.destroy());
        return;
      }
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 300);
    });
    closers.push(() => upstream.close());
    const { app: gateway, logs } = await startGateway({ MEMORY_SERVICE_URL: upstream.url }, { directRelay, logLevel: 'info' });
    const base = await listening(gateway);
    const headers = await signedIn();
    const broken = await get(`${base}/memory/v1/broken`, headers);
    broken.resume();
    await new Promise((resolve) => broken.once('close', resolve));
    const gone = httpRequest(`${base}/memory/v1/slow`, { headers });
    gone.on('error', () => undefined);
    gone.end();
    await vi.waitFor(() => expect(upstream.received.some((request) => request.url === '/v1/slow')).toBe(true), { timeout: 5_000 });
    gone.destroy();

    const incomplete = () => logs.filter((line) => line.msg === 'request incomplete');
    await vi.waitFor(() => expect(incomplete()).toHaveLength(2), { timeout: 5_000 });
    expect(incomplete()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: '/memory/v1/broken', status: 200, upstream: 'memory', org: expect.any(String) }),
        expect.objectContaining({ url: '/memory/v1/slow', status: 499, upstream: 'memory', org: expect.any(String) }),
      ]),
    );
    const metrics = await gateway.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="[^"]+",status="499",service="gateway"\} 1/);
  });

  it('answers 502 when the upstream fails after its head but before its body, and keeps the pool usable', async () => {
    const upstream = await startStandIn((request, response) => {
      if (request.url === '/v1/head-only') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '10', 'content-encoding': 'gzip', 'set-cookie': 'session=upstream' });
        response.flushHeaders();
        setImmediate(() => response.socket?.destroy());
        return;
      }
      // A status HTTP does not have: Fastify refused it, and the answer stayed paused on the pool's only connection.
      if (request.url === '/v1/odd-status') return void response.socket?.end('HTTP/1.1 600 Odd\r\ncontent-length: 2\r\n\r\nok');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    closers.push(() => upstream.close());
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: upstream.url, UPSTREAM_CONNECTIONS: '1', CIRCUIT_BREAKER_FAILURES: '100' }, { directRelay });
    const base = await listening(gateway);
    const headers = await signedIn();
    const headOnly = await get(`${base}/memory/v1/head-only`, headers);
    headOnly.resume();
    expect(headOnly.statusCode).toBeGreaterThanOrEqual(500);
    expect(headOnly.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (directRelay) {
      expect(headOnly.statusCode).toBe(502);
      // The gateway's problem carries none of the failed answer's headers.
      expect(headOnly.headers['content-encoding']).toBeUndefined();
      expect(headOnly.headers['set-cookie']).toBeUndefined();
    }
    for (let index = 0; index < 2; index += 1) {
      const odd = await get(`${base}/memory/v1/odd-status`, headers);
      odd.resume();
      expect(odd.statusCode).toBe(502);
    }
    const next = await get(`${base}/memory/v1/items`, headers);
    next.resume();
    expect(next.statusCode).toBe(200);
  });

  it('sends a 204 without a body length, as Fastify does', async () => {
    const { base } = await gatewayOf((response) => response.writeHead(204, { 'content-length': '0', 'content-type': 'application/json', 'x-upstream': 'memory' }).end());
    const answer = await get(`${base}/memory/v1/items/1`, await signedIn());
    answer.resume();
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['content-length']).toBeUndefined();
    expect(answer.headers['x-upstream']).toBe('memory');
  });

  it('releases the upstream connection of a client that hangs up during its upload', async () => {
    const upstream = await startStandIn((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    closers.push(() => upstream.close());
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: upstream.url, UPSTREAM_CONNECTIONS: '1' }, { directRelay });
    const base = await listening(gateway);
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json' };
    const upload = httpRequest(`${base}/memory/v1/items`, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    upload.on('error', () => undefined);
    upload.write('{"content":"the first half of');
    // The gateway has begun sending the upload on (the upstream has its request line) before the client goes.
    await vi.waitFor(() => expect(upstream.counted.connections).toBeGreaterThan(0), { timeout: 5_000 });
    upload.destroy();
    await expectAnsweredPromptly(`${base}/memory/v1/items`, headers);
  });

  it("answers a client's Expect: 100-continue itself and does not pass it on", async () => {
    const upstream = await startStandIn((_request, response) => response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
    closers.push(() => upstream.close());
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: upstream.url, CIRCUIT_BREAKER_FAILURES: '2' }, { directRelay });
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json', expect: '100-continue' };
    // Before: undici refused the header (UND_ERR_NOT_SUPPORTED), each request counted as the
    // upstream failing, and five of them opened the circuit for everyone.
    for (let index = 0; index < 5; index += 1) expect((await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers, payload: '{}' })).statusCode).toBe(201);
    expect(upstream.received.at(-1)?.headers.expect).toBeUndefined();
  });

  it("puts the gateway's own headers on the answer, and closes keep-alive connections once it drains", async () => {
    const { base, gateway } = await gatewayOf((response) => response.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'memory' }).end('{"ok":true}'));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => Promise.resolve(agent.destroy()));
    const headers = { ...(await signedIn()), origin: 'https://console.lift.test', 'x-request-id': 'relay-test-1' };

    const before = await get(`${base}/memory/v1/items`, headers, agent);
    before.resume();
    expect(before.headers).toMatchObject({ 'x-upstream': 'memory', 'x-request-id': 'relay-test-1', 'content-type': 'application/json' });
    expect(before.headers['ratelimit-limit']).toBeDefined();
    expect(before.headers.connection).toBe('keep-alive');

    gateway.readiness.markShuttingDown();
    const during = await get(`${base}/memory/v1/items`, headers, agent);
    during.resume();
    expect(during.statusCode).toBe(200);
    expect(during.headers.connection).toBe('close');
  });
});
