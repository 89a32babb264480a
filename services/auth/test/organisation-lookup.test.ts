import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

const secrets = 'gateway:gateway-secret-0123456789,billing:billing-secret-0123456789';

async function serviceToken(app: ServiceApp, service: 'gateway' | 'billing'): Promise<{ accessToken: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: service, client_secret: `${service}-secret-0123456789` }).toString(),
  });
  return { accessToken: response.json().access_token as string };
}

describe.each(backends)('organisation lookup for platform services on $name', ({ postgres }) => {
  it('tells billing whether any organisation exists', async () => {
    const { app } = await buildAuth({ postgres, env: { SERVICE_CLIENT_SECRETS: secrets } });
    const tenant = await registerUser(app, 'owner@example.com');
    const billing = await serviceToken(app, 'billing');
    const lookup = (id: string) => app.inject({ method: 'GET', url: `/v1/organisations/${encodeURIComponent(id)}/exists`, headers: bearer(billing) });
    expect((await lookup(tenant.organisationId)).json()).toEqual({ organisationId: tenant.organisationId, exists: true });
    expect((await lookup('platform')).json()).toEqual({ organisationId: 'platform', exists: true });
    const missing = await lookup('org-that-never-was');
    expect(missing.statusCode).toBe(200);
    expect(missing.json()).toEqual({ organisationId: 'org-that-never-was', exists: false });
  });

  it('answers only tokens carrying org:lookup: not tenants, not other services', async () => {
    const { app } = await buildAuth({ postgres, env: { SERVICE_CLIENT_SECRETS: secrets } });
    const tenant = await registerUser(app, 'owner@example.com');
    const url = `/v1/organisations/${tenant.organisationId}/exists`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const own = await app.inject({ method: 'GET', url, headers: bearer(tenant) });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'org:lookup' });
    expect((await app.inject({ method: 'GET', url, headers: bearer(await serviceToken(app, 'gateway')) })).statusCode).toBe(403);
  });
});
