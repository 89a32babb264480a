import { describe, expect, it } from 'vitest';
import { hashRefreshToken } from '../src/refresh-tokens.js';
import { backends, bearer, buildAuth, manualClock, registerUser } from './helper.js';

const refresh = (refreshToken: string) => ({ method: 'POST' as const, url: '/v1/token/refresh', payload: { refreshToken } });

describe.each(backends)('refresh tokens on $name', ({ postgres }) => {
  it('rotate on every use: each refresh returns a new refresh token and a working access token', async () => {
    const { app, db } = await buildAuth({ postgres });
    const session = await registerUser(app, 'ada@example.com');
    const first = await app.inject(refresh(session.refreshToken));
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(rotated) })).statusCode).toBe(200);
    const second = await app.inject(refresh(rotated.refreshToken));
    expect(second.statusCode).toBe(200);
    // Stored only as hashes.
    const stored = await db.selectFrom('refresh_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(session.refreshToken);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('give a racing client the same successor within the grace window', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    const session = await registerUser(app, 'ada@example.com');
    const [one, two] = await Promise.all([app.inject(refresh(session.refreshToken)), app.inject(refresh(session.refreshToken))]);
    expect(one.statusCode).toBe(200);
    expect(two.statusCode).toBe(200);
    expect(one.json().refreshToken).toBe(two.json().refreshToken);
    clock.advance(5_000);
    expect((await app.inject(refresh(session.refreshToken))).json().refreshToken).toBe(one.json().refreshToken);
    expect((await app.inject(refresh(one.json().refreshToken))).statusCode).toBe(200);
  });

  it('revoke the whole family when a rotated token is reused after the grace window', async () => {
    const clock = manualClock();
    const { app, db } = await buildAuth({ postgres, clock });
    const session = await registerUser(app, 'ada@example.com');
    const successor = (await app.inject(refresh(session.refreshToken))).json().refreshToken as string;
    clock.advance(11_000);

    const reused = await app.inject(refresh(session.refreshToken));
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('AUTH_REFRESH_TOKEN_REUSED');
    const afterTheft = await app.inject(refresh(successor));
    expect(afterTheft.statusCode).toBe(401);
    expect(afterTheft.json().code).toBe('AUTH_REFRESH_TOKEN_INVALID');
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'refresh_token.reused').execute();
    expect(audit).toHaveLength(1);
  });

  it('refuse a successor that a logout racing its rotation missed (issue #21: found on PostgreSQL through the gateway)', async () => {
    const { app, db } = await buildAuth({ postgres });
    const session = await registerUser(app, 'ada@example.com');
    const successor = (await app.inject(refresh(session.refreshToken))).json().refreshToken as string;
    const logout = await app.inject({ method: 'POST', url: '/v1/logout', payload: { refreshToken: successor } });
    expect(logout.statusCode).toBe(204);
    // What the race leaves behind: the logout's statement revoked the family as it saw it, and a
    // rotation that committed after that statement's snapshot stored a successor it never saw.
    const family = await db.selectFrom('refresh_tokens').select('family_id').executeTakeFirstOrThrow();
    await db.updateTable('refresh_tokens').set({ revoked_at: null, used_at: null }).where('family_id', '=', family.family_id).where('token_hash', '=', hashRefreshToken(successor)).execute();
    const afterLogout = await app.inject(refresh(successor));
    expect(afterLogout.statusCode).toBe(401);
    expect(afterLogout.json().code).toBe('AUTH_REFRESH_TOKEN_INVALID');
  });

  it('stop working after logout and after they expire', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { REFRESH_TOKEN_TTL_DAYS: '1' } });
    const session = await registerUser(app, 'ada@example.com');
    const logout = await app.inject({ method: 'POST', url: '/v1/logout', payload: { refreshToken: session.refreshToken } });
    expect(logout.statusCode).toBe(204);
    expect((await app.inject(refresh(session.refreshToken))).statusCode).toBe(401);

    const other = await registerUser(app, 'grace@example.com');
    clock.advance(86_400_000 + 1);
    const expired = await app.inject(refresh(other.refreshToken));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('AUTH_REFRESH_TOKEN_INVALID');
  });

  it('carry the member\'s current role, and stop when they are removed', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    await registerUser(app, 'bob@example.com');
    const added = await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'bob@example.com', role: 'viewer' } });
    const bobId = added.json().userId as string;
    const bob = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'bob@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${bobId}`, headers: bearer(owner), payload: { role: 'member' } });
    const refreshed = (await app.inject(refresh(bob.refreshToken))).json();
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(refreshed) })).json();
    expect(me.roles).toEqual(['member']);
    await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${bobId}`, headers: bearer(owner) });
    expect((await app.inject(refresh(refreshed.refreshToken))).statusCode).toBe(401);
  });

  it('refuse garbage with 401 and malformed bodies with 400', async () => {
    const { app } = await buildAuth({ postgres });
    expect((await app.inject(refresh('lift_rt_nope'))).statusCode).toBe(401);
    const bad = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: 42 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.refreshToken');
  });
});
