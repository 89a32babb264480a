import { describe, expect, it } from 'vitest';
import { buildGateway, startUpstream } from './helper.js';

describe('hardening at the edge', () => {
  it('answers only for the allowed hosts, naming the refused one', async () => {
    const gateway = await buildGateway({ ALLOWED_HOSTS: 'api.lift.example,*.lift.example' });
    expect((await gateway.inject({ method: 'GET', url: '/health', headers: { host: 'api.lift.example:8000' } })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'GET', url: '/health', headers: { host: 'eu.lift.example' } })).statusCode).toBe(200);
    const refused = await gateway.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'evil.example' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'GATEWAY_HOST_NOT_ALLOWED', field: 'headers.host' });
  });

  // Regression: with ALLOWED_HOSTS set, the image's HEALTHCHECK (127.0.0.1:8000), a kubelet (the
  // pod's address) and observability's probes (gateway:8000) were refused with 400.
  it('answers its own probes whatever the Host, and still refuses a proxied path for a foreign Host', async () => {
    const gateway = await buildGateway({ ALLOWED_HOSTS: 'api.lift.example' });
    for (const host of ['127.0.0.1:8000', '10.42.0.17:8000', 'gateway:8000']) {
      for (const url of ['/health', '/ready', '/metrics']) {
        expect((await gateway.inject({ method: 'GET', url, headers: { host } })).statusCode, `${url} for ${host}`).toBe(200);
      }
    }
    for (const url of ['/auth/health', '/health/detailed', '/health?x=1', '/openapi.json']) {
      const refused = await gateway.inject({ method: 'GET', url, headers: { host: 'evil.example' } });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'GATEWAY_HOST_NOT_ALLOWED' });
    }
  });

  // Regression: with ALLOWED_HOSTS set to the public names, auth's revocation fallback and modules
  // beside the gateway (Host: gateway:8000) were refused with 400.
  it('serves its internal names too when ALLOWED_HOSTS restricts, and only then', async () => {
    const restricted = await buildGateway({ ALLOWED_HOSTS: 'api.lift.example', INTERNAL_HOSTS: 'gateway' });
    expect((await restricted.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'gateway:8000' } })).statusCode).toBe(200);
    expect((await restricted.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'evil.example' } })).statusCode).toBe(400);
    const withoutInternal = await buildGateway({ ALLOWED_HOSTS: 'api.lift.example' });
    expect((await withoutInternal.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'gateway:8000' } })).statusCode).toBe(400);
    const open = await buildGateway({ INTERNAL_HOSTS: 'gateway' });
    expect((await open.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'anything.example' } })).statusCode).toBe(200);
  });

  it('redirects plain HTTP to HTTPS with 308 when forced, except the probes, and trusts the proxy\'s word only from trusted proxies', async () => {
    const gateway = await buildGateway({ FORCE_HTTPS: 'true', TRUSTED_PROXIES: '10.0.0.0/8' });
    const plain = await gateway.inject({ method: 'POST', url: '/auth/v1/login?x=1', headers: { host: 'api.lift.example' }, payload: {} });
    expect(plain.statusCode).toBe(308);
    expect(plain.headers.location).toBe('https://api.lift.example/auth/v1/login?x=1');
    expect((await gateway.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const behindTls = await gateway.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '10.1.2.3' });
    expect(behindTls.statusCode).toBe(200);
    expect(behindTls.headers['strict-transport-security']).toContain('max-age=');
    const spoofed = await gateway.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '203.0.113.1' });
    expect(spoofed.statusCode).toBe(308);
  });

  // Regression: behind a Kubernetes Ingress (which, unlike the compose nginx, cannot refuse a path)
  // anyone could read the gateway's /metrics: module ids, routes, request rates.
  it('does not serve its metrics to a request a proxy relayed, however the path is written', async () => {
    const gateway = await buildGateway({ ALLOWED_HOSTS: 'api.lift.example', TRUSTED_PROXIES: '10.0.0.0/8' });
    const relayedBy = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9;proto=https' }, { 'x-real-ip': '203.0.113.9' }];
    for (const [url, proxyHeaders] of ['/metrics', '/metrics?format=text', '/metrics?'].flatMap((url) => relayedBy.map((header) => [url, header] as const))) {
      const relayed = await gateway.inject({ method: 'GET', url, headers: { host: 'api.lift.example', ...proxyHeaders }, remoteAddress: '10.1.2.3' });
      expect(relayed.statusCode, `${url} ${JSON.stringify(proxyHeaders)}`).toBe(404);
      expect(relayed.headers['content-type']).toContain('application/problem+json');
      expect(relayed.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect(relayed.body).not.toContain('http_requests_total');
    }
    // Prometheus and observability ask the pod or the service directly.
    const scraped = await gateway.inject({ method: 'GET', url: '/metrics', headers: { host: '10.42.0.17:8000' } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('http_requests_total');
    // Counted as the 404s they are, not as answers of the /metrics route.
    const requestLines = scraped.body.split('\n').filter((line) => line.startsWith('http_requests_total{'));
    expect(requestLines.filter((line) => line.includes('route="/metrics"') && line.includes('status="404"'))).toEqual([]);
    expect(requestLines.find((line) => line.includes('route="unmatched"') && line.includes('status="404"'))).toMatch(/ 9$/);
  });

  it('sends the security headers on every answer', async () => {
    const gateway = await buildGateway({});
    const response = await gateway.inject({ method: 'GET', url: '/nothing' });
    expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  });
});

describe('CORS at the edge', () => {
  it('answers a browser\'s preflight for a protected route without a token', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, CORS_ORIGINS: 'https://console.lift.example' });
    const preflight = await gateway.inject({ method: 'OPTIONS', url: '/memory/v1/items', headers: { origin: 'https://console.lift.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://console.lift.example');
    expect(memory.received).toHaveLength(0);
  });
});
