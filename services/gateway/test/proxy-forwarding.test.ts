import { describe, expect, it } from 'vitest';
import { buildGateway, signedIn, startUpstream } from './helper.js';

describe('the gateway forwards /<service>/* with the prefix stripped', () => {
  it('forwards method, path, query and body, and returns the upstream\'s answer', async () => {
    const registry = await startUpstream((_request, respond) => respond(201, '{"created":true}', { 'x-upstream': 'registry' }));
    const gateway = await buildGateway({ REGISTRY_SERVICE_URL: registry.url });
    const response = await gateway.inject({
      method: 'POST',
      url: '/registry/v1/modules?dryRun=true',
      headers: { ...(await signedIn()),  'content-type': 'application/json' },
      payload: '{"moduleId":"causal"}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ created: true });
    expect(response.headers['x-upstream']).toBe('registry');
    expect(registry.received).toHaveLength(1);
    expect(registry.received[0]).toMatchObject({ method: 'POST', url: '/v1/modules?dryRun=true', body: '{"moduleId":"causal"}' });
    expect(registry.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('maps the bare prefix to the upstream\'s root', async () => {
    const auth = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url });
    await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/auth' });
    await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/auth?x=1' });
    await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/auth/health' });
    expect(auth.received.map((request) => request.url)).toEqual(['/', '/?x=1', '/health']);
  });

  it('routes each prefix to its own service', async () => {
    const upstreams = await Promise.all(['auth', 'memory', 'registry', 'billing', 'observability'].map(async (name) => ({ name, upstream: await startUpstream((_request, respond) => respond(200, JSON.stringify({ name }))) })));
    const gateway = await buildGateway(Object.fromEntries(upstreams.map(({ name, upstream }) => [`${name.toUpperCase()}_SERVICE_URL`, upstream.url])));
    for (const { name } of upstreams) {
      expect((await gateway.inject({ headers: await signedIn(), method: 'GET', url: `/${name}/health` })).json()).toEqual({ name });
    }
  });

  it('drops forged x-lift-* identity headers and hop-by-hop headers, and sets request id and trace', async () => {
    const memory = await startUpstream();
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const token = await signedIn();
    const response = await gateway.inject({
      method: 'GET',
      url: '/memory/v1/memories',
      headers: { ...(await signedIn()), 
        'x-lift-user': 'admin',
        'x-lift-org': 'someone-else',
        'x-forwarded-for': '6.6.6.6',
        'proxy-authorization': 'Basic eA==',
        authorization: token.authorization,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'x-request-id': 'client-req-1',
      },
    });
    expect(response.statusCode).toBe(200);
    const headers = memory.received[0]?.headers ?? {};
    // The forged values are gone; the gateway's own, from the verified token, are there instead.
    expect(headers['x-lift-user']).toBe('user-7');
    expect(headers['x-lift-org']).toBe('tenant-1');
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers['x-forwarded-for']).not.toContain('6.6.6.6');
    expect(headers.authorization).toBe(token.authorization);
    expect(headers['x-lift-roles']).toBe('member');
    expect(headers['x-request-id']).toBe('client-req-1');
    expect(headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(headers.traceparent).not.toContain('00f067aa0ba902b7');
    expect(response.headers['x-request-id']).toBe('client-req-1');
  });

  it('passes the upstream\'s problem+json through untouched', async () => {
    const billing = await startUpstream((_request, respond) => respond(404, '{"code":"BILLING_PLAN_NOT_FOUND"}', { 'content-type': 'application/problem+json' }));
    const gateway = await buildGateway({ BILLING_SERVICE_URL: billing.url });
    const response = await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/billing/v1/plans/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({ code: 'BILLING_PLAN_NOT_FOUND' });
  });

  it('keeps its own /health and answers unknown top-level paths with 404 problem+json', async () => {
    const gateway = await buildGateway({});
    expect((await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/health' })).json()).toMatchObject({ service: 'gateway' });
    const response = await gateway.inject({ headers: await signedIn(), method: 'GET', url: '/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('ROUTE_NOT_FOUND');
  });
});
