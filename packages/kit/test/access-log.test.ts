import { describe, expect, it } from 'vitest';
import { createService } from '../src/index.js';
import { capturingLogger, closeWhenDone } from './helper.js';

async function serviceWithLog() {
  const { log, lines } = capturingLogger('logged');
  const app = await createService({
    identity: { name: 'logged', version: '1.0.0', description: 'A service whose log the test reads.' },
    config: { BODY_LIMIT_BYTES: 1_048_576, CORS_ORIGINS: '*' },
    log,
  });
  closeWhenDone(() => app.close());
  return { app, lines };
}

describe('the access log', () => {
  it('writes one line per request with its request id, trace id, method, route and status', async () => {
    const { app, lines } = await serviceWithLog();
    app.get('/things/:id', async () => ({ ok: true }));
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await app.inject({ method: 'GET', url: '/things/7', headers: { 'x-request-id': 'req-42', traceparent } });
    await expect.poll(() => lines.filter((line) => line.msg === 'request completed')).toHaveLength(1);
    expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({
      service: 'logged', reqId: 'req-42', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', method: 'GET', url: '/things/7', route: '/things/:id', status: 200,
    });
  });

  it('gives lines a handler writes the same request id and trace id', async () => {
    const { app, lines } = await serviceWithLog();
    app.get('/noisy', async (request) => {
      request.log.warn({ detail: 'something odd' }, 'handler noticed');
      return { ok: true };
    });
    await app.inject({ method: 'GET', url: '/noisy', headers: { 'x-request-id': 'req-43' } });
    await expect.poll(() => lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['handler noticed', 'request completed']));
    const noticed = lines.find((line) => line.msg === 'handler noticed');
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(noticed).toMatchObject({ reqId: 'req-43', detail: 'something odd', level: 'warn' });
    expect(noticed?.traceId).toBe(completed?.traceId);
  });
});
