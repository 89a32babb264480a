import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { platformRolePermissions, tenantRolePermissions, tenantRoles } from '../src/permissions.js';
import { servicePermissions } from '../src/service-permissions.js';
import { bearer, buildAuth, registerUser } from './helper.js';

const secrets = 'prometheus:prometheus-secret-0123456789,alertmanager:alertmanager-secret-0123456789,billing:billing-secret-0123456789';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

function tokenRequest(app: ServiceApp, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/v1/oauth/token', headers: { ...formHeaders, ...headers }, payload: new URLSearchParams({ grant_type: 'client_credentials', ...fields }).toString() });
}

/** As Prometheus and Alertmanager send it (golang.org/x/oauth2): HTTP Basic first, the scope they are configured with. */
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

describe.each([
  { client: 'prometheus', secret: 'prometheus-secret-0123456789', permission: 'registry:read', what: 'Prometheus reading the registry\'s service discovery' },
  { client: 'alertmanager', secret: 'alertmanager-secret-0123456789', permission: 'observability:alertmanager', what: 'Alertmanager posting to observability\'s webhook' },
])('the $client client ($what)', ({ client, secret, permission }) => {
  it(`gets a token carrying ${permission} and nothing else, with Basic credentials and its configured scope`, async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const response = await tokenRequest(app, { scope: permission }, basic(client, secret));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', scope: permission });
    const claims = decodeJwt(response.json().access_token as string);
    expect(claims).toMatchObject({ sub: `svc:${client}`, org: 'platform', client_id: client });
    expect(claims.perms).toEqual([permission]);
    expect(servicePermissions[client]).toEqual([permission]);
  });

  it('cannot ask for more, and its token opens nothing else in auth', async () => {
    const { app } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    for (const scope of ['registry:admin', 'observability:read', 'observability:ingest', 'platform:admin', `${permission} org:lookup`]) {
      if (scope === permission) continue;
      const refused = await tokenRequest(app, { client_id: client, client_secret: secret, scope });
      expect({ scope, status: refused.statusCode, error: refused.json().error }).toEqual({ scope, status: 400, error: 'invalid_scope' });
    }
    const token = { accessToken: (await tokenRequest(app, { client_id: client, client_secret: secret })).json().access_token as string };
    const tenant = await registerUser(app, 'owner@example.com');
    expect((await app.inject({ method: 'GET', url: `/v1/organisations/${tenant.organisationId}/exists`, headers: bearer(token) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/signing-keys', headers: bearer(token) })).statusCode).toBe(403);
    // Another client's secret, or the client without SERVICE_CLIENT_SECRETS naming it, gets nothing.
    expect((await tokenRequest(app, { client_id: client, client_secret: 'billing-secret-0123456789' })).statusCode).toBe(401);
    const withoutSecret = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: 'billing:billing-secret-0123456789' } });
    expect((await tokenRequest(withoutSecret.app, { client_id: client, client_secret: secret })).statusCode).toBe(401);
  });
});

describe('observability:alertmanager', () => {
  it('is the alertmanager client\'s alone: no role of any person, no other client holds it', () => {
    for (const role of tenantRoles) {
      expect(tenantRolePermissions[role]).not.toContain('observability:alertmanager');
      expect(platformRolePermissions[role]).not.toContain('observability:alertmanager');
    }
    const holders = Object.entries(servicePermissions).filter(([, permissions]) => permissions.includes('observability:alertmanager'));
    expect(holders.map(([name]) => name)).toEqual(['alertmanager']);
  });
});
