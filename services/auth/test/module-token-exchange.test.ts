import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { bearer, buildAuth, manualClock, registerUser } from './helper.js';
import { startFakeRegistry } from './fake-registry.js';

const secrets = 'gateway:gateway-secret-0123456789,billing:billing-secret-0123456789';
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const asGateway = basic('gateway', 'gateway-secret-0123456789');

function exchange(app: ServiceApp, fields: Record<string, string>, authorization?: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    payload: new URLSearchParams({ grant_type: exchangeGrant, subject_token_type: accessTokenType, ...fields }).toString(),
  });
}

async function platformWithTemplateModule() {
  const registry = await startFakeRegistry([
    {
      moduleId: 'template',
      roles: { owner: ['template:read', 'template:write'], admin: ['template:read', 'template:write'], member: ['template:read', 'template:write'], viewer: ['template:read'] },
      memoryRequirements: { read: true, write: true },
    },
    { moduleId: 'other', roles: { owner: ['other:read'], admin: [], member: [], viewer: [] }, memoryRequirements: null },
  ]);
  const clock = manualClock(Date.now());
  const auth = await buildAuth({ clock, env: { SERVICE_CLIENT_SECRETS: secrets, REGISTRY_SERVICE_URL: registry.url } });
  const owner = await registerUser(auth.app, 'owner@example.com');
  return { ...auth, clock, owner };
}

describe('token exchange for modules (RFC 8693)', () => {
  it('gives the gateway a token only the module accepts, with the module\'s permissions and the platform access its manifest declares', async () => {
    const { app, owner } = await platformWithTemplateModule();
    const response = await exchange(app, { subject_token: owner.accessToken, audience: 'module:template' }, asGateway);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ token_type: 'Bearer', issued_token_type: accessTokenType });
    const moduleToken = response.json().access_token as string;
    const claims = decodeJwt(moduleToken);
    const subject = decodeJwt(owner.accessToken);
    expect(claims).toMatchObject({ aud: 'module:template', sub: owner.userId, org: owner.organisationId, client_id: 'gateway' });
    expect((claims.perms as string[]).sort()).toEqual(['memory:read', 'memory:write', 'template:read', 'template:write']);
    expect(claims.exp).toBeLessThanOrEqual(subject.exp as number);
    // The core services refuse it: its audience is the module's.
    const replayed = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer({ accessToken: moduleToken }) });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().detail).toMatch(/audience/);
  });

  it('lets the module exchange that token for a delegated platform token limited to its manifest', async () => {
    const { app, owner } = await platformWithTemplateModule();
    const moduleToken = (await exchange(app, { subject_token: owner.accessToken, audience: 'module:template' }, asGateway)).json().access_token as string;
    const response = await exchange(app, { subject_token: moduleToken });
    expect(response.statusCode).toBe(200);
    const platformToken = response.json().access_token as string;
    const claims = decodeJwt(platformToken);
    expect(claims).toMatchObject({ aud: 'lift-os', sub: owner.userId, org: owner.organisationId, client_id: 'module:template', act: { sub: 'module:template' } });
    expect((claims.perms as string[]).sort()).toEqual(['memory:read', 'memory:write']);
    // The platform accepts it, as delegated: who the person is, in the organisation it acts for only.
    const elsewhere = (await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(owner), payload: { name: 'Second' } })).json();
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer({ accessToken: platformToken }) });
    expect(me.statusCode).toBe(200);
    expect(me.json().memberships.map((membership: { organisationId: string }) => membership.organisationId)).toEqual([owner.organisationId]);
    // It never starts a session, lists or creates organisations, or creates keys for the person.
    for (const [method, url, payload] of [
      ['POST', '/v1/token/switch', { organisationId: elsewhere.id }],
      ['GET', '/v1/organisations', undefined],
      ['POST', '/v1/organisations', { name: 'Module-made' }],
      ['POST', '/v1/api-keys', { name: 'module-made', permissions: ['memory:read'] }],
    ] as const) {
      const refused = await app.inject({ method, url, headers: bearer({ accessToken: platformToken }), ...(payload ? { payload } : {}) });
      expect({ url, status: refused.statusCode }).toEqual({ url, status: 403 });
    }
    // Introspection says it is delegated, and by whom.
    expect((await app.inject({ method: 'POST', url: '/v1/verify', payload: { token: platformToken } })).json()).toMatchObject({ active: true, act: { sub: 'module:template' }, client_id: 'module:template' });
    // A narrower scope can be asked for, a wider one cannot.
    expect(decodeJwt((await exchange(app, { subject_token: moduleToken, scope: 'memory:read' })).json().access_token).perms).toEqual(['memory:read']);
    expect((await exchange(app, { subject_token: moduleToken, scope: 'org:owner' })).json().error).toBe('invalid_scope');
  });

  it('gives a viewer\'s module token only what a viewer holds', async () => {
    const { app, owner } = await platformWithTemplateModule();
    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const viewer = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    const moduleToken = (await exchange(app, { subject_token: viewer.accessToken, audience: 'module:template' }, asGateway)).json().access_token as string;
    expect((decodeJwt(moduleToken).perms as string[]).sort()).toEqual(['memory:read', 'template:read']);
    const platformToken = (await exchange(app, { subject_token: moduleToken })).json().access_token as string;
    expect(decodeJwt(platformToken).perms).toEqual(['memory:read']);
  });

  it('refuses what would widen a token, in RFC 6749\'s error format', async () => {
    const { app, owner, clock } = await platformWithTemplateModule();
    const moduleToken = (await exchange(app, { subject_token: owner.accessToken, audience: 'module:template' }, asGateway)).json().access_token as string;
    const delegated = (await exchange(app, { subject_token: moduleToken })).json().access_token as string;
    const cases: [string, Record<string, string>, string | undefined, number, string][] = [
      ['no client', { subject_token: owner.accessToken, audience: 'module:template' }, undefined, 401, 'invalid_client'],
      ['a client without the exchange permission', { subject_token: owner.accessToken, audience: 'module:template' }, basic('billing', 'billing-secret-0123456789'), 400, 'unauthorized_client'],
      ['no audience', { subject_token: owner.accessToken }, asGateway, 400, 'invalid_target'],
      ['a core namespace as the module', { subject_token: owner.accessToken, audience: 'module:org' }, asGateway, 400, 'invalid_target'],
      ['a platform audience for a platform token', { subject_token: owner.accessToken, audience: 'lift-os' }, asGateway, 400, 'invalid_target'],
      ['a module token to another module', { subject_token: moduleToken, audience: 'module:other' }, undefined, 400, 'invalid_target'],
      ['a delegated token again', { subject_token: delegated, audience: 'module:template' }, asGateway, 400, 'invalid_grant'],
      ['a forged token', { subject_token: `${owner.accessToken.slice(0, -4)}AAAA`, audience: 'module:template' }, asGateway, 400, 'invalid_grant'],
      ['an actor token', { subject_token: owner.accessToken, audience: 'module:template', actor_token: moduleToken, actor_token_type: accessTokenType }, asGateway, 400, 'invalid_request'],
      ['a resource instead of an audience', { subject_token: owner.accessToken, resource: 'https://evil.example' }, asGateway, 400, 'invalid_target'],
    ];
    for (const [name, fields, authorization, status, error] of cases) {
      const response = await exchange(app, fields, authorization);
      expect({ name, status: response.statusCode, error: response.json().error }).toEqual({ name, status, error });
    }
    const noType = await app.inject({ method: 'POST', url: '/v1/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: asGateway }, payload: new URLSearchParams({ grant_type: exchangeGrant, subject_token: owner.accessToken, audience: 'module:template' }).toString() });
    expect(noType.json().error).toBe('invalid_request');
    clock.advance(16 * 60_000);
    const expired = await exchange(app, { subject_token: owner.accessToken, audience: 'module:template' }, asGateway);
    expect(expired.json().error).toBe('invalid_grant');
  });
});
