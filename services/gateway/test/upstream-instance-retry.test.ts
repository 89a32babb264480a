import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn } from './helper.js';
import { startInstance } from './instance-stand-in.js';

describe('retrying on another instance', () => {
  it('sends an idempotent request that could not connect to another instance', async () => {
    const [dead, live] = await Promise.all([startInstance('dead'), startInstance('live')]);
    // Never ejected here, so the dead instance keeps being picked in its turn.
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${dead.url},${live.url}`, UPSTREAM_EJECT_AFTER_FAILURES: '100', UPSTREAM_RETRIES: '1' });
    const headers = await signedIn(['memory:read', 'memory:write']);
    await dead.kill();

    const gets = [];
    for (let index = 0; index < 6; index += 1) gets.push(await gateway.inject({ method: 'GET', url: `/memory/v1/items?n=${index}`, headers }));
    // With one retry allowed, each GET the dead instance refused succeeded on the live one.
    expect(gets.map((answer) => answer.statusCode)).toEqual(Array(6).fill(200));
    expect(live.received).toHaveLength(6);
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`gateway_upstream_instance_requests_total\\{upstream="memory",instance="${dead.label}",outcome="ECONNREFUSED"[^}]*\\} 3\\n`));
    expect(metrics).toMatch(/gateway_upstream_retries_total\{upstream="memory"[^}]*\} 3\n/);
  });

  // Part 1's review (M1): a POST meeting an instance that refused connections failed until the
  // instance was ejected. Nothing of it had been sent — Envoy retries such a connect failure too.
  it('sends a request with a body that could not connect to another instance, with its body whole', async () => {
    const [dead, live] = await Promise.all([startInstance('dead'), startInstance('live')]);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${dead.url},${live.url}`, UPSTREAM_EJECT_AFTER_FAILURES: '100', UPSTREAM_RETRIES: '1' });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json' };
    await dead.kill();

    const sent: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const text = JSON.stringify({ text: `once ${index} ${'x'.repeat(100_000)}` });
      sent.push(text);
      const answer = await fetch(`${base}/memory/v1/items`, { method: 'POST', headers, body: text });
      expect(answer.status).toBe(200);
    }
    // Sent chunked, as a client that streams its upload does.
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"text":"chunked'));
        controller.enqueue(new TextEncoder().encode(' upload"}'));
        controller.close();
      },
    });
    const streamed = await fetch(`${base}/memory/v1/items`, { method: 'PATCH', headers, body: chunked, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(200);
    sent.push('{"text":"chunked upload"}');
    // Each arrived once, whole, at the live instance; the dead one refused two of them.
    expect(live.bodies).toEqual(sent);
    expect(live.received.filter((line) => line.startsWith('POST'))).toHaveLength(4);
    const metrics = (await gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_upstream_retries_total\{upstream="memory"[^}]*\} [1-9]\n/);
    await gateway.close();
  });

  it('answers 503 for a request with a body when every instance refuses it, after trying another', async () => {
    const [first, second] = await Promise.all([startInstance('first'), startInstance('second')]);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${first.url},${second.url}`, UPSTREAM_EJECT_AFTER_FAILURES: '100', UPSTREAM_RETRIES: '1' });
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json' };
    await Promise.all([first.kill(), second.kill()]);
    const answer = await gateway.inject({ method: 'POST', url: '/memory/v1/items', headers, payload: '{"text":"nowhere"}' });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE', upstream: 'memory' });
  });

  // Review of #19 (H1): after a refused connection the first attempt's body stream lived on with a
  // listener on the client's request; a client hanging up mid-upload then threw an 'error' nobody
  // listened to, and the gateway process exited.
  it('survives clients that hang up during an upload that went to another instance', async () => {
    const [dead, live] = await Promise.all([startInstance('dead'), startInstance('live')]);
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: `${dead.url},${live.url}`, UPSTREAM_EJECT_AFTER_FAILURES: '100', UPSTREAM_RETRIES: '1' });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    const headers = { ...(await signedIn(['memory:read', 'memory:write'])), 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    await dead.kill();
    const uncaught: Error[] = [];
    const onUncaught = (error: Error): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let index = 0; index < 4; index += 1) {
        const upload = httpRequest(`${base}/memory/v1/items`, { method: 'POST', headers, agent: false });
        upload.on('error', () => undefined);
        upload.write('{"text":"part of an upload');
        // Wait until the gateway has begun sending it to the live instance, then hang up mid-upload:
        // the upload to the instance ends too.
        await expect.poll(() => live.requestsOpen(), { timeout: 5_000 }).toBe(1);
        upload.destroy();
        await expect.poll(() => live.requestsOpen(), { timeout: 5_000 }).toBe(0);
      }
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    const after = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: await signedIn(['memory:read']) });
    expect(after.statusCode).toBe(200);
    await gateway.close();
  });
});
