import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createService } from '../src/index.js';
import { capturingLogger, closeWhenDone } from './helper.js';

/**
 * Fastify logs and counts a request when its answer finishes (or fails with an error). An answer
 * that never finishes — the client hangs up, or the answer is cut off — had no access line and
 * no count at all (issue #19: "every access line kept"). Real sockets: inject has no hang-ups.
 */

async function listeningService() {
  const { log, lines } = capturingLogger('incomplete');
  const app = await createService({
    identity: { name: 'incomplete', version: '1.0.0', description: 'A service whose answers do not always finish.' },
    config: { BODY_LIMIT_BYTES: 1_048_576, CORS_ORIGINS: '*' },
    log,
  });
  closeWhenDone(() => app.close());
  const waiting: (() => void)[] = [];
  // Never answers: the client hangs up first.
  app.get('/v1/slow/:id', (_request, reply) => {
    waiting.push(() => void reply.send({ late: true }));
    return reply;
  });
  // Sends its head and part of its body, then is cut off.
  app.get('/v1/cut', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    reply.raw.write('part of it');
    setImmediate(() => reply.raw.destroy());
  });
  // Destroyed with an error: the response is 'errored' but emits no 'error' Fastify would log.
  app.get('/v1/failed', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    reply.raw.write('part of it');
    setImmediate(() => reply.raw.destroy(new Error('the source of the answer failed')));
  });
  app.get('/v1/fine', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, lines, waiting, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

function hangUpAfter(url: string, arrived: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const call = httpRequest(url);
    call.on('error', () => resolve());
    call.end();
    const check = setInterval(() => {
      if (!arrived()) return;
      clearInterval(check);
      call.destroy();
      resolve();
    }, 5);
  });
}

function fetchToTheEnd(url: string): Promise<void> {
  return new Promise((resolve) => {
    const call = httpRequest(url, (answer) => {
      answer.resume();
      answer.on('close', () => resolve());
      answer.on('error', () => resolve());
    });
    call.on('error', () => resolve());
    call.end();
  });
}

describe('answers that never finish', () => {
  it('are logged and counted as 499 when the client hangs up before anything was sent', async () => {
    const { app, lines, waiting, base } = await listeningService();
    await hangUpAfter(`${base}/v1/slow/7?token=secret`, () => waiting.length === 1);
    await expect.poll(() => lines.filter((line) => line.msg === 'request incomplete')).toHaveLength(1);
    expect(lines.find((line) => line.msg === 'request incomplete')).toMatchObject({ method: 'GET', url: '/v1/slow/7?token=[redacted]', route: '/v1/slow/:id', status: 499, level: 'info' });
    expect(typeof lines.find((line) => line.msg === 'request incomplete')?.reqId).toBe('string');
    // The late answer, when it comes, finds the response closed: no second line.
    waiting[0]?.();
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_requests_total{method="GET",route="/v1/slow/:id",status="499",service="incomplete"} 1');
    expect(lines.filter((line) => typeof line.url === 'string' && (line.url as string).startsWith('/v1/slow'))).toHaveLength(1);
  });

  it('are logged and counted under the status sent when the answer is cut off', async () => {
    const { app, lines, base } = await listeningService();
    await fetchToTheEnd(`${base}/v1/cut`);
    await fetchToTheEnd(`${base}/v1/failed`);
    await expect.poll(() => lines.filter((line) => line.msg === 'request incomplete')).toHaveLength(2);
    expect(lines.filter((line) => line.msg === 'request incomplete')).toEqual([expect.objectContaining({ route: '/v1/cut', status: 200 }), expect.objectContaining({ route: '/v1/failed', status: 200 })]);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_requests_total{method="GET",route="/v1/cut",status="200",service="incomplete"} 1');
  });

  it('leave finished answers with their one ordinary line', async () => {
    const { lines, base } = await listeningService();
    await fetchToTheEnd(`${base}/v1/fine`);
    await fetchToTheEnd(`${base}/v1/fine`);
    await expect.poll(() => lines.filter((line) => line.msg === 'request completed')).toHaveLength(2);
    expect(lines.filter((line) => line.msg === 'request incomplete')).toHaveLength(0);
  });
});
