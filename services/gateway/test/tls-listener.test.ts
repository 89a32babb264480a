import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '@lift/kit';
import { freePort } from '../../../tests/support/free-port.js';
import { serveTlsAlongside, startTlsListener, type TlsListener } from '../src/tls-listener.js';
import { buildGateway, signedIn, startUpstream } from './helper.js';
import { describeWithCertificate } from './self-signed-certificate.js';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTPS request that verifies the server's certificate against the test's own. */
function httpsGet(port: number, path: string, ca: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port, path, ca, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

const listeners: TlsListener[] = [];
afterEach(async () => {
  while (listeners.length > 0) await listeners.pop()?.close();
});

describeWithCertificate('the gateway over HTTPS', (certificate) => {
  const serve = async (gateway: Awaited<ReturnType<typeof buildGateway>>) => {
    await gateway.ready();
    const listener = await startTlsListener({ app: gateway, cert: certificate().cert, key: certificate().key, host: '127.0.0.1', port: 0 });
    listeners.push(listener);
    return listener;
  };

  it('serves the same routes with the configured certificate', async () => {
    const listener = await serve(await buildGateway({}));
    const health = await httpsGet(listener.port, '/health', certificate().cert);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', service: 'gateway' });
    const missing = await httpsGet(listener.port, '/no-such-route', certificate().cert);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.headers['x-request-id']).toBeTruthy();
  });

  it('counts as HTTPS: no redirect under FORCE_HTTPS, HSTS sent, and upstreams told x-forwarded-proto https', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ FORCE_HTTPS: 'true', MEMORY_SERVICE_URL: memory.url });
    const listener = await serve(gateway);

    const plain = await gateway.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'api.lift.example' } });
    expect(plain.statusCode).toBe(308);
    const secure = await httpsGet(listener.port, '/openapi.json', certificate().cert);
    expect(secure.status).toBe(200);
    expect(secure.headers['strict-transport-security']).toContain('max-age=');

    const forwarded = await httpsGet(listener.port, '/memory/v1/memories', certificate().cert, await signedIn());
    expect(forwarded.status).toBe(200);
    expect(memory.received.find((request) => request.url === '/v1/memories')?.headers['x-forwarded-proto']).toBe('https');
  });

  it('stops accepting on close and lets the request in flight finish', async () => {
    let answerSlowly: (() => void) | undefined;
    const memory = await startUpstream((_request, respond) => (answerSlowly = () => respond(200, '{"late":true}')));
    const listener = await serve(await buildGateway({ MEMORY_SERVICE_URL: memory.url }));
    const inFlight = httpsGet(listener.port, '/memory/v1/slow', certificate().cert, await signedIn());
    await expect.poll(() => answerSlowly).toBeDefined();
    const closed = listener.close();
    await expect(httpsGet(listener.port, '/health', certificate().cert)).rejects.toThrow(/ECONNREFUSED/);
    answerSlowly?.();
    expect(await inFlight).toMatchObject({ status: 200, body: '{"late":true}' });
    await closed;
  });

  it('starts and drains with the app when served alongside it, and a taken port fails the start', async () => {
    const port = await freePort();
    const log = createLogger({ service: 'gateway', version: 'test', level: 'silent' });
    const gateway = await buildGateway({});
    serveTlsAlongside(gateway, { cert: certificate().cert, key: certificate().key, host: '127.0.0.1', port, log });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    expect((await httpsGet(port, '/ready', certificate().cert)).status).toBe(200);

    const second = await buildGateway({});
    serveTlsAlongside(second, { cert: certificate().cert, key: certificate().key, host: '127.0.0.1', port, log });
    await expect(second.listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow(`the HTTPS listener could not start on 127.0.0.1:${port}: listen EADDRINUSE`);

    await gateway.close();
    await expect(httpsGet(port, '/ready', certificate().cert)).rejects.toThrow(/ECONNREFUSED/);
  });
});
