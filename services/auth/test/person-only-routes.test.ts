import { describe, expect, it } from 'vitest';
import { bearer, buildAuth, registerUser } from './helper.js';

const secrets = 'billing:billing-secret-0123456789';

// Regression (issue #10, item 5): an API-key token on POST /v1/organisations answered 500 (its
// subject `apikey:<id>` was written as a member's user id); routes that act for a person must
// refuse tokens that belong to no person.
describe('routes that act for a person', () => {
  it('refuse API-key and service tokens with 403 problem+json, and change nothing', async () => {
    const { app, db } = await buildAuth({ env: { SERVICE_CLIENT_SECRETS: secrets } });
    const owner = await registerUser(app, 'owner@example.com');
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'automation', permissions: ['org:admin', 'org:read', 'memory:read'] } })).json();
    const keyToken = (await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } })).json();
    const serviceToken = (
      await app.inject({
        method: 'POST',
        url: '/v1/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'billing', client_secret: 'billing-secret-0123456789' }).toString(),
      })
    ).json();
    const organisationsBefore = (await db.selectFrom('organisations').selectAll().execute()).length;

    const routes = [
      { method: 'GET' as const, url: '/v1/organisations' },
      { method: 'POST' as const, url: '/v1/organisations', payload: { name: 'made by a key' } },
      { method: 'POST' as const, url: '/v1/api-keys', payload: { name: 'key made by a key', permissions: ['memory:read'] } },
      { method: 'POST' as const, url: '/v1/token/switch', payload: { organisationId: owner.organisationId } },
      { method: 'GET' as const, url: '/v1/me' },
    ];
    // A service holds no org:admin, so the key route refuses it for that before asking who it is.
    const callers = [
      { who: 'API key', token: keyToken.accessToken as string, routes },
      { who: 'service', token: serviceToken.access_token as string, routes: routes.filter((route) => route.url !== '/v1/api-keys') },
    ];
    for (const { who, token, routes: tried } of callers) {
      for (const route of tried) {
        const response = await app.inject({ ...route, headers: bearer({ accessToken: token }) });
        expect({ who, route: `${route.method} ${route.url}`, status: response.statusCode, type: response.headers['content-type'], code: response.json().code }).toEqual({
          who,
          route: `${route.method} ${route.url}`,
          status: 403,
          type: 'application/problem+json; charset=utf-8',
          code: 'AUTH_PERSON_REQUIRED',
        });
      }
    }
    expect(await db.selectFrom('organisations').selectAll().execute()).toHaveLength(organisationsBefore);
    expect(await db.selectFrom('api_keys').selectAll().execute()).toHaveLength(1);
  });
});
