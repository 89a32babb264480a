import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { backends, bearer, buildAuth, manualClock, registerUser } from './helper.js';

describe.each(backends)('API keys on $name', ({ postgres }) => {
  it('are shown once, stored as a hash, listed with prefix and creator, and exchanged for short-lived tokens', async () => {
    const { app, db } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'causal module', permissions: ['memory:read', 'billing:usage'] } });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key.key).toMatch(/^lift_sk_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({ name: 'causal module', createdBy: owner.userId, organisationId: owner.organisationId, permissions: ['billing:usage', 'memory:read'], lastUsedAt: null });

    const listed = (await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(owner) })).json();
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.key);
    const stored = await db.selectFrom('api_keys').select('key_hash').executeTakeFirstOrThrow();
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const exchanged = await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } });
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 300 });
    const claims = decodeJwt(exchanged.json().accessToken);
    expect(claims).toMatchObject({ sub: `apikey:${key.id}`, org: owner.organisationId, roles: [], perms: ['billing:usage', 'memory:read'] });
    const used = (await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) })).json();
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('stop working the moment they are revoked', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'ci', permissions: ['memory:read'] } })).json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) })).statusCode).toBe(204);
    const refused = await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH_API_KEY_INVALID');
    expect((await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) })).json().revokedAt).not.toBeNull();
  });

  it('expire at their expiry, which must be in the future', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    const owner = await registerUser(app, 'owner@example.com');
    const past = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'old', permissions: ['memory:read'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ code: 'AUTH_EXPIRY_IN_PAST', field: 'body.expiresAt' });
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'day', permissions: ['memory:read'], expiresAt: '2026-11-29T09:00:00Z' } })).json();
    expect((await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } })).statusCode).toBe(200);
    clock.advance(86_400_000);
    expect((await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } })).statusCode).toBe(401);
  });

  it('carry only permissions their creator holds, and only org admins manage them', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    const escalate = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'x', permissions: ['platform:admin'] } });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json()).toMatchObject({ code: 'AUTH_PERMISSION_NOT_HELD', missing: ['platform:admin'] });
    const empty = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'x', permissions: [] } });
    expect(empty.statusCode).toBe(400);

    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const viewer = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    expect((await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(viewer), payload: { name: 'x', permissions: ['memory:read'] } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(viewer) })).statusCode).toBe(403);
  });

  it('belong to one organisation: another cannot see, read or revoke them', async () => {
    const { app } = await buildAuth({ postgres });
    const alice = await registerUser(app, 'alice@example.com');
    const mallory = await registerUser(app, 'mallory@example.com');
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(alice), payload: { name: 'alice key', permissions: ['memory:read'] } })).json();
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(mallory) })).json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: bearer(mallory) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(mallory) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } })).statusCode).toBe(200);
  });

  it('refuse garbage keys with 401', async () => {
    const { app } = await buildAuth({ postgres });
    for (const apiKey of ['lift_sk_guess', 'sk_live_123', 'x']) {
      expect((await app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey } })).statusCode).toBe(401);
    }
  });
});
