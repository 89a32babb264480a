import { describe, expect, it } from 'vitest';
import { authDocument, buildGateway, serviceDocument, signedIn, startUpstream } from './helper.js';

/**
 * Issue #10 item 14: only the gateway asserts identity. Forged headers it does not set itself
 * (so that replacing them is not what hides them) must not reach a service, whatever their case
 * and whether they use `_` for `-` (which CGI/WSGI-style servers and nginx read as the same name).
 */
const forged = {
  'x-lift-permissions': 'platform:admin',
  'X-Lift-Tenant': 'someone-else',
  x_lift_org: 'platform',
  X_LIFT_USER: 'admin',
  x_forwarded_for: '6.6.6.6',
  x_api_key: 'lift_sk_stolen',
};

function gatewayOwned(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => /^x[-_](lift|forwarded)[-_]|^x[-_]api[-_]key$/i.test(name) && !['x-lift-user', 'x-lift-org', 'x-lift-roles', 'x-lift-request-id', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].includes(name));
}

describe('forged x-lift-* headers', () => {
  it('never reach the service on an authenticated route', async () => {
    const memory = await startUpstream(undefined, { openApi: serviceDocument([], ['GET /v1/memories']) });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const response = await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { ...(await signedIn()), ...forged } });
    expect(response.statusCode).toBe(200);
    const received = memory.received[0]?.headers ?? {};
    expect(gatewayOwned(received)).toEqual([]);
    expect(received).toMatchObject({ 'x-lift-user': 'user-7', 'x-lift-org': 'tenant-1' });
    expect(received['x-forwarded-for']).not.toContain('6.6.6.6');
  });

  it('include every other way a client claims its address: only the gateway says where a request came from', async () => {
    const memory = await startUpstream(undefined, { openApi: serviceDocument([], ['GET /v1/memories']) });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url });
    const claims = { forwarded: 'for=6.6.6.6;proto=https', 'x-real-ip': '6.6.6.6', 'true-client-ip': '6.6.6.6', 'cf-connecting-ip': '6.6.6.6', x_real_ip: '6.6.6.6', 'x-client-ip': '6.6.6.6' };
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/memories', headers: { ...(await signedIn()), ...claims } })).statusCode).toBe(200);
    const received = memory.received[0]?.headers ?? {};
    expect(Object.values(received).filter((value) => String(value).includes('6.6.6.6'))).toEqual([]);
  });

  it('never reach the service on a public route, where the gateway asserts no identity', async () => {
    const auth = await startUpstream(undefined, { openApi: authDocument });
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url });
    const response = await gateway.inject({ method: 'POST', url: '/auth/v1/login', payload: {}, headers: { ...forged, 'x-lift-user': 'admin', 'x-lift-org': 'platform' } });
    expect(response.statusCode).toBe(200);
    const received = auth.received[0]?.headers ?? {};
    expect(gatewayOwned(received)).toEqual([]);
    expect(received['x-lift-user']).toBeUndefined();
    expect(received['x-lift-org']).toBeUndefined();
    expect(received['x-lift-request-id']).toBe(response.headers['x-request-id']);
  });
});
