import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, manualClock, registerUser } from './helper.js';

describe.each(backends)('the audit log on $name', ({ postgres }) => {
  it('records logins, failed logins, role changes and API keys, newest first, for org admins', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    const owner = await registerUser(app, 'owner@example.com');
    const tick = () => clock.advance(2_000);
    tick();
    await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'owner@example.com', password: 'a long enough passphrase' }, remoteAddress: '203.0.113.5' });
    tick();
    await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'owner@example.com', password: 'wrong passphrase!' } });
    tick();
    await registerUser(app, 'bob@example.com');
    tick();
    const bob = (await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'bob@example.com', role: 'viewer' } })).json();
    tick();
    await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${bob.userId}`, headers: bearer(owner), payload: { role: 'member' } });
    tick();
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'k', permissions: ['memory:read'] } })).json();
    tick();
    await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) });

    const page = await app.inject({ method: 'GET', url: '/v1/audit-events?limit=50', headers: bearer(owner) });
    expect(page.statusCode).toBe(200);
    const actions = page.json().items.map((event: { action: string }) => event.action);
    expect(actions).toEqual(['api_key.revoked', 'api_key.created', 'member.role_changed', 'member.added', 'login.succeeded', 'user.registered']);
    const roleChange = page.json().items[2];
    expect(roleChange).toMatchObject({ actorId: owner.userId, targetId: bob.userId, details: { from: 'viewer', to: 'member' } });
    expect(page.json().items[4].ip).toBe('203.0.113.5');
  });

  it('pages with a cursor', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock });
    const owner = await registerUser(app, 'owner@example.com');
    for (let index = 0; index < 4; index += 1) {
      clock.advance(1_000);
      await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: `k${index}`, permissions: ['memory:read'] } });
    }
    const first = (await app.inject({ method: 'GET', url: '/v1/audit-events?limit=2', headers: bearer(owner) })).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = (await app.inject({ method: 'GET', url: `/v1/audit-events?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, headers: bearer(owner) })).json();
    const third = (await app.inject({ method: 'GET', url: `/v1/audit-events?limit=2&cursor=${encodeURIComponent(second.nextCursor)}`, headers: bearer(owner) })).json();
    expect([...first.items, ...second.items, ...third.items].map((event: { action: string }) => event.action)).toEqual([
      'api_key.created',
      'api_key.created',
      'api_key.created',
      'api_key.created',
      'user.registered',
    ]);
    expect(third.nextCursor).toBeNull();
    const bad = await app.inject({ method: 'GET', url: '/v1/audit-events?limit=5000', headers: bearer(owner) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('querystring.limit');
  });

  it('shows an organisation only its own events, and only to admins', async () => {
    const { app } = await buildAuth({ postgres });
    const alice = await registerUser(app, 'alice@example.com');
    const mallory = await registerUser(app, 'mallory@example.com');
    await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(alice), payload: { name: 'secret', permissions: ['memory:read'] } });
    const seen = (await app.inject({ method: 'GET', url: '/v1/audit-events', headers: bearer(mallory) })).json();
    expect(seen.items.every((event: { organisationId: string }) => event.organisationId === mallory.organisationId)).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('secret');

    await registerUser(app, 'viewer@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${alice.organisationId}/members`, headers: bearer(alice), payload: { email: 'viewer@example.com', role: 'viewer' } });
    const viewer = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'viewer@example.com', password: 'a long enough passphrase', organisationId: alice.organisationId } })).json();
    expect((await app.inject({ method: 'GET', url: '/v1/audit-events', headers: bearer(viewer) })).statusCode).toBe(403);
  });
});
