import { describe, expect, it } from 'vitest';
import { createHttpClient, DependencyUnavailableError, serviceTokenSource, type HttpClient } from '@lift/kit';
import { authOrganisationDirectory } from '../src/organisation-directory.js';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildBilling, manualClock, platformService } from './helper.js';

const billingSecret = 'billing-secret-0123456789';

/**
 * A local server answering as auth does (services/auth: POST /v1/oauth/token, GET
 * /v1/organisations/{id}/exists for a token carrying org:lookup), recording each request.
 */
async function startFakeAuth(organisations: Set<string>) {
  let status = 200;
  const auth = await startStandIn((request, response) => {
    const json = (code: number, body: unknown) => sendJson(response, code, body);
    if (request.url === '/v1/oauth/token') {
      const expected = `Basic ${Buffer.from(`billing:${billingSecret}`).toString('base64')}`;
      return request.headers.authorization === expected ? json(200, { access_token: 'billing-token', token_type: 'Bearer', expires_in: 300 }) : json(401, { error: 'invalid_client' });
    }
    const lookup = /^\/v1\/organisations\/([^/]+)\/exists$/.exec(request.url);
    if (lookup && status !== 200) return json(status, { code: 'AUTH_SOMETHING' });
    if (lookup && request.headers.authorization === 'Bearer billing-token') {
      const organisationId = decodeURIComponent(lookup[1] as string);
      return json(200, { organisationId, exists: organisations.has(organisationId) });
    }
    json(lookup ? 401 : 404, { code: 'AUTH_TOKEN_MISSING' });
  });
  return {
    url: auth.url,
    get requests() {
      return auth.received.map(({ method, url, headers }) => ({ method, url, authorization: headers.authorization }));
    },
    answerLookups: (code: number) => void (status = code),
  };
}

function httpClient(): HttpClient {
  const http = createHttpClient({ service: 'billing', version: 'test' });
  closeWhenDone(() => http.close());
  return http;
}

describe('the organisation directory asking auth', () => {
  it('asks with billing\'s service token, remembers who exists, and asks again about who did not', async () => {
    const organisations = new Set(['org-a']);
    const auth = await startFakeAuth(organisations);
    const http = httpClient();
    const tokens = serviceTokenSource({ http, authUrl: auth.url, clientId: 'billing', clientSecret: billingSecret, clock: manualClock() });
    const directory = authOrganisationDirectory({ http, authUrl: auth.url, tokens });

    expect(await directory.exists('org-a')).toBe(true);
    expect(await directory.exists('org-a')).toBe(true);
    expect(await directory.exists('org new/x')).toBe(false);
    organisations.add('org new/x');
    expect(await directory.exists('org new/x')).toBe(true);
    expect(auth.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /v1/oauth/token',
      'GET /v1/organisations/org-a/exists',
      'GET /v1/organisations/org%20new%2Fx/exists',
      'GET /v1/organisations/org%20new%2Fx/exists',
    ]);
    expect(auth.requests[1]?.authorization).toBe('Bearer billing-token');
  });

  // Regression (#21, schema fuzzing): GET /v1/entitlements/.. answered 503 — the id, dots and all,
  // went into auth's URL, which the HTTP client resolved to another path, and auth's 404 read as
  // auth being down.
  it('knows that "." and ".." are no organisation, without asking auth a path they would rewrite', async () => {
    const auth = await startFakeAuth(new Set(['org-a']));
    const http = httpClient();
    const tokens = serviceTokenSource({ http, authUrl: auth.url, clientId: 'billing', clientSecret: billingSecret, clock: manualClock() });
    const directory = authOrganisationDirectory({ http, authUrl: auth.url, tokens });
    expect(await directory.exists('..')).toBe(false);
    expect(await directory.exists('.')).toBe(false);
    expect(auth.requests).toEqual([]);
    expect(await directory.exists('...')).toBe(false);
    expect(auth.requests.map((request) => request.url)).toEqual(['/v1/oauth/token', '/v1/organisations/.../exists']);
  });

  it('throws DependencyUnavailableError when auth is down, refuses, or billing has no secret', async () => {
    const auth = await startFakeAuth(new Set(['org-a']));
    const http = httpClient();
    const tokens = serviceTokenSource({ http, authUrl: auth.url, clientId: 'billing', clientSecret: billingSecret, clock: manualClock() });
    for (const code of [500, 403, 404]) {
      auth.answerLookups(code);
      const failure = await authOrganisationDirectory({ http, authUrl: auth.url, tokens }).exists('org-a').catch((error: unknown) => error);
      expect(failure, String(code)).toBeInstanceOf(DependencyUnavailableError);
      expect(failure).toMatchObject({ status: 503, code: 'BILLING_AUTH_UNAVAILABLE' });
    }
    const wrongSecret = serviceTokenSource({ http, authUrl: auth.url, clientId: 'billing', clientSecret: 'not-the-secret-0123456789', clock: manualClock() });
    await expect(authOrganisationDirectory({ http, authUrl: auth.url, tokens: wrongSecret }).exists('org-a')).rejects.toBeInstanceOf(DependencyUnavailableError);
    const before = auth.requests.length;
    await expect(authOrganisationDirectory({ http, authUrl: auth.url, tokens: undefined }).exists('org-a')).rejects.toMatchObject({ code: 'BILLING_AUTH_UNAVAILABLE' });
    expect(auth.requests).toHaveLength(before);
  });

  it('is what the billing service uses by default, with the secret from SERVICE_CLIENT_SECRETS', async () => {
    const auth = await startFakeAuth(new Set(['org-a']));
    const clock = manualClock();
    const { app } = await buildBilling({ clock, organisations: 'auth', env: { AUTH_SERVICE_URL: auth.url, SERVICE_CLIENT_SECRETS: `gateway:gateway-secret-0123456789,billing:${billingSecret}` } });
    const headers = await platformService(clock);
    const usage = (id: string, org: string) => ({ id, org, metric: 'api_calls', quantity: 1, timestamp: '2026-11-28T09:00:00Z' });
    const refused = await app.inject({ method: 'POST', url: '/v1/usage/batch', headers, payload: { events: [usage('a-1', 'org-a'), usage('g-1', 'org-ghost')] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ index: 1, field: 'body.events[1].org', reason: 'is not an organisation' }]);
    expect((await app.inject({ method: 'POST', url: '/v1/usage', headers, payload: usage('a-1', 'org-a') })).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(auth.requests.filter((request) => request.url === '/v1/organisations/org-a/exists')).toHaveLength(1);
  });
});
