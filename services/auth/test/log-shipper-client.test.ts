import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { platformRolePermissions, tenantRolePermissions, tenantRoles } from '../src/permissions.js';
import { servicePermissions } from '../src/service-permissions.js';
import { bearer, buildAuth, loginUser, registerUser } from './helper.js';

const secrets = 'log-shipper:log-shipper-secret-0123456789,billing:billing-secret-0123456789';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

function tokenRequest(app: ServiceApp, fields: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/v1/oauth/token', headers: formHeaders, payload: new URLSearchParams({ grant_type: 'client_credentials', ...fields }).toString() });
}

describe('the log-shipper client (the lift up supervisor shipping log lines to observability)', () => {
  it('gets a token carrying observability:ingest and nothing else', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const response = await tokenRequest(app, { client_id: 'log-shipper', client_secret: 'log-shipper-secret-0123456789' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', scope: 'observability:ingest' });
    const claims = decodeJwt(response.json().access_token as string);
    expect(claims).toMatchObject({ sub: 'svc:log-shipper', org: 'platform', client_id: 'log-shipper' });
    expect(claims.perms).toEqual(['observability:ingest']);
    expect(servicePermissions['log-shipper']).toEqual(['observability:ingest']);
  });

  it('cannot ask for more, and its token opens nothing else in auth', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    for (const scope of ['observability:read', 'observability:admin', 'org:lookup', 'platform:admin', 'observability:ingest registry:read']) {
      const refused = await tokenRequest(app, { client_id: 'log-shipper', client_secret: 'log-shipper-secret-0123456789', scope });
      expect({ scope, status: refused.statusCode, error: refused.json().error }).toEqual({ scope, status: 400, error: 'invalid_scope' });
    }
    const token = { accessToken: (await tokenRequest(app, { client_id: 'log-shipper', client_secret: 'log-shipper-secret-0123456789' })).json().access_token as string };
    const tenant = await registerUser(app, 'owner@example.com');
    const lookup = await app.inject({ method: 'GET', url: `/v1/organisations/${tenant.organisationId}/exists`, headers: bearer(token) });
    expect(lookup.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/signing-keys', headers: bearer(token) })).statusCode).toBe(403);
    // Another client's secret, or the client without SERVICE_CLIENT_SECRETS naming it, gets nothing.
    expect((await tokenRequest(app, { client_id: 'log-shipper', client_secret: 'billing-secret-0123456789' })).statusCode).toBe(401);
    const withoutSecret = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: 'billing:billing-secret-0123456789' } });
    expect((await tokenRequest(withoutSecret.app, { client_id: 'log-shipper', client_secret: 'log-shipper-secret-0123456789' })).statusCode).toBe(401);
  });
});

describe('observability permissions in the role tables', () => {
  it('gives observability:admin to the platform owner and admin only, observability:read to every platform role', () => {
    expect(platformRolePermissions.owner).toEqual(expect.arrayContaining(['observability:read', 'observability:admin']));
    expect(platformRolePermissions.admin).toEqual(expect.arrayContaining(['observability:read', 'observability:admin']));
    for (const role of ['member', 'viewer'] as const) {
      expect(platformRolePermissions[role]).toContain('observability:read');
      expect(platformRolePermissions[role]).not.toContain('observability:admin');
    }
  });

  it('never gives a tenant role, nor any person, observability:* beyond read and admin — ingest is the log shipper\'s alone', () => {
    for (const role of tenantRoles) expect(tenantRolePermissions[role].filter((permission) => permission.startsWith('observability:'))).toEqual([]);
    for (const role of tenantRoles) expect(platformRolePermissions[role]).not.toContain('observability:ingest');
    const holders = Object.entries(servicePermissions).filter(([, permissions]) => permissions.includes('observability:ingest'));
    expect(holders.map(([name]) => name)).toEqual(['log-shipper']);
  });

  it('shows in the platform admin\'s token, not in a tenant owner\'s', async () => {
    const { app } = await buildAuth({});
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin) })).json();
    expect(me.permissions).toEqual(expect.arrayContaining(['observability:read', 'observability:admin']));
    const tenant = await registerUser(app, 'owner@example.com');
    const tenantMe = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(tenant) })).json();
    expect((tenantMe.permissions as string[]).filter((permission) => permission.startsWith('observability:'))).toEqual([]);
  });
});
