import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { limitedBody } from '../src/body-limit.js';
import { buildGateway, signedIn, startUpstream } from './helper.js';

// Regression: an upstream that refused an oversize body mid-upload closed the connection, and
// the gateway answered 502 instead of 413.
describe('the gateway refuses oversize bodies itself', () => {
  it('answers 413 for a declared Content-Length over the limit without calling the upstream', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({ method: 'POST', url: '/memory/v1/memories', headers: { ...(await signedIn()),  'content-type': 'application/json' }, payload: JSON.stringify({ text: 'x'.repeat(2000) }) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'REQUEST_BODY_TOO_LARGE', detail: expect.stringContaining('1000 bytes') });
    expect(memory.received).toHaveLength(0);
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({
      method: 'POST',
      url: '/memory/v1/memories',
      headers: { ...(await signedIn()),  'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
    });
    expect(response.statusCode).toBe(413);
  });

  it('forwards a chunked body under the limit', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '1000' });
    const response = await gateway.inject({
      method: 'POST',
      url: '/memory/v1/memories',
      headers: { ...(await signedIn()),  'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    });
    expect(response.statusCode).toBe(200);
    expect(memory.received[0]?.body).toBe('hello world');
  });

  // Review of #19: the rest of a chunked body over the limit was never read, so on a kept-alive
  // connection the client's next request waited behind it for good (and close took ~70 s).
  it('closes the connection after a 413 whose body was not read to its end, so a kept-alive client goes on', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, BODY_LIMIT_BYTES: '100000' });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    const headers = { ...(await signedIn()), 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (chunks: number) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const call = httpRequest(`${base}/memory/v1/memories`, { method: 'POST', headers, agent }, (answer) => {
          answer.resume();
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, connection: answer.headers.connection }));
        });
        call.on('error', reject);
        // The bug this guards against is a hang: fail in seconds, not at the test's timeout.
        call.setTimeout(5_000, () => call.destroy(new Error('no answer within 5 s')));
        const chunk = 'x'.repeat(16 * 1024);
        let written = 0;
        const pump = (): void => {
          while (written < chunks && !call.destroyed) {
            written += 1;
            if (!call.write(chunk)) return void call.once('drain', pump);
          }
          if (!call.destroyed) call.end();
        };
        pump();
      });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      const oversize = await post(20).catch(() => ({ status: -1, connection: undefined }));
      statuses.push(oversize.status);
      if (oversize.status === 413) expect(oversize.connection).toBe('close');
      statuses.push((await post(1)).status);
    }
    expect(statuses).toEqual([413, 200, 413, 200, 413, 200]);
    agent.destroy();
    const closing = performance.now();
    await gateway.close();
    expect(performance.now() - closing).toBeLessThan(5_000);
  });
});

describe('a body on its way to an upstream (limitedBody)', () => {
  it('reads nothing of the client before its reader asks, so it can go to another attempt', async () => {
    const source = Readable.from([Buffer.from('whole')]);
    const body = limitedBody(source, 100);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.resendable()).toBe(true);
    const read: Buffer[] = [];
    for await (const chunk of body.stream) read.push(chunk as Buffer);
    expect(Buffer.concat(read).toString()).toBe('whole');
    expect(body.resendable()).toBe(false);
  });

  it('knows a client that left before, or between, attempts, without an error nobody listens to', async () => {
    const gone = new Readable({ read() {} });
    gone.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    const early = limitedBody(gone, 100);
    expect(early.clientLeft()).toBe(true);
    expect(early.resendable()).toBe(false);

    const leaving = new Readable({ read() {} });
    const between = limitedBody(leaving, 100);
    // Nobody reads it (as between a refused connection and the next attempt) when the client leaves:
    // an 'error' without a listener would end the process.
    leaving.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(between.clientLeft()).toBe(true);
    expect(between.resendable()).toBe(false);
  });
});
