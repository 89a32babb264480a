import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';

// One stack of six real processes for this whole suite.
let stack: PlatformStack;
beforeAll(async () => {
  stack = await startPlatformStack();
});
afterAll(async () => {
  await stack?.stop();
});

const everyService = ['gateway', ...coreServiceNames] as const;
const urlOf = (name: (typeof everyService)[number]) => (name === 'gateway' ? stack.gateway.url : stack.services[name].url);

describe.each(everyService)('%s as a real process', (name) => {
  it('is alive on /health with its name and version', async () => {
    const response = await fetch(`${urlOf(name)}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: name, version: '0.1.0' });
  });

  it('is ready on /ready, naming the checks it made', async () => {
    const response = await fetch(`${urlOf(name)}/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, string> };
    const extra: Record<string, Record<string, string>> = { auth: { 'platform-admin': 'ok' }, billing: { plans: 'ok' }, memory: { index: 'ok' } };
    if (name !== 'gateway') expect(body.checks).toEqual({ database: 'ok', ...extra[name] });
  });

  it('serves Prometheus text on /metrics', async () => {
    await fetch(`${urlOf(name)}/health`);
    const response = await fetch(`${urlOf(name)}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(new RegExp(`http_requests_total\\{[^}]*route="/health"[^}]*service="${name}"[^}]*\\} \\d`));
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves its OpenAPI document', async () => {
    const response = await fetch(`${urlOf(name)}/openapi.json`);
    const document = (await response.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    // The gateway serves the whole platform's document: every service's paths under its prefix.
    expect(document.info.title).toBe(name === 'gateway' ? 'Lift OS Core API' : `Lift OS Core ${name} API`);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(name === 'gateway' ? ['/health', '/ready', '/auth/v1/login', '/billing/v1/usage'] : ['/health', '/ready']));
  });
});

describe('through the gateway', () => {
  it.each(coreServiceNames)('reaches %s with the prefix stripped', async (name) => {
    const response = await fetch(`${stack.gateway.url}/${name}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ service: name });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses a protected route without a token, at the edge', async () => {
    const response = await fetch(`${stack.gateway.url}/registry/v1/modules`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'AUTH_TOKEN_MISSING' });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const registered = await fetch(`${stack.gateway.url}/auth/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'endpoints@example.com', password: 'a long enough passphrase' }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    const response = await fetch(`${stack.gateway.url}/registry/v1/no-such-thing`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', requestId: expect.any(String) });
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await fetch(`${stack.gateway.url}/auth/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, code: 'REQUEST_MALFORMED_BODY' });
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const response = await fetch(`${stack.gateway.url}/auth/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: 'REQUEST_BODY_TOO_LARGE' });
  });

  it('answers a chunked body that grows over the limit with 413, not a reset connection', async () => {
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${stack.gateway.url}/auth/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'REQUEST_BODY_TOO_LARGE' });
  });

  it('passes the trace on to the service', async () => {
    const response = await fetch(`${stack.gateway.url}/billing/health`, { headers: { 'x-request-id': 'trace-me-1' } });
    expect(response.headers.get('x-request-id')).toBe('trace-me-1');
  });
});
