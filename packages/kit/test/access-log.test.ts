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

  // Review of issue #12: the gateway logged the account links' tokens (`/console/…?token=…`) at info.
  it('writes the values of sensitive query parameters as [redacted], and the rest of the url as it came', async () => {
    const { app, lines } = await serviceWithLog();
    app.get('/console/reset-password', async () => ({ ok: true }));
    const secrets = ['lift_pr_abc', 'at1', 'rt1', 'code1', 'k1', 'ak1', 'cs1', 'pw1', 'tok2'];
    await app.inject({
      method: 'GET',
      url: '/console/reset-password?token=lift_pr_abc&page=2&access_token=at1&refresh_token=rt1&code=code1&key=k1&api_key=ak1&client_secret=cs1&password=pw1&%54OKEN=tok2&flag',
    });
    await expect.poll(() => lines.filter((line) => line.msg === 'request completed')).toHaveLength(1);
    const { url } = lines.find((line) => line.msg === 'request completed') as { url: string };
    expect(url).toBe(
      '/console/reset-password?token=[redacted]&page=2&access_token=[redacted]&refresh_token=[redacted]&code=[redacted]&key=[redacted]&api_key=[redacted]&client_secret=[redacted]&password=[redacted]&%54OKEN=[redacted]&flag',
    );
    for (const secret of secrets) expect(JSON.stringify(lines)).not.toContain(secret);
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
