import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, loginUser, registerUser, type Session } from './helper.js';
import type { ServiceApp } from '@lift/kit';

async function addMember(app: ServiceApp, admin: Session, email: string, role: string) {
  return app.inject({ method: 'POST', url: `/v1/organisations/${admin.organisationId}/members`, headers: bearer(admin), payload: { email, role } });
}

async function sessionIn(app: ServiceApp, email: string, organisationId: string): Promise<Session> {
  return loginUser(app, email, undefined, organisationId);
}

describe.each(backends)('organisations and members on $name', ({ postgres }) => {
  it('adds members with roles, changes roles, and removes members', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    await registerUser(app, 'bob@example.com');
    const added = await addMember(app, owner, 'BOB@example.com', 'member');
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ email: 'bob@example.com', role: 'member' });
    const bobId = added.json().userId as string;

    const list = await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner) });
    expect(list.json().items.map((member: { email: string; role: string }) => [member.email, member.role]).sort()).toEqual([
      ['bob@example.com', 'member'],
      ['owner@example.com', 'owner'],
    ]);

    const changed = await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${bobId}`, headers: bearer(owner), payload: { role: 'admin' } });
    expect(changed.json().role).toBe('admin');
    const removed = await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${bobId}`, headers: bearer(owner) });
    expect(removed.statusCode).toBe(204);
    const after = await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner) });
    expect(after.json().items).toHaveLength(1);
  });

  it('never removes or demotes the last owner', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    const demote = await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${owner.userId}`, headers: bearer(owner), payload: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('AUTH_LAST_OWNER');
    const remove = await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${owner.userId}`, headers: bearer(owner) });
    expect(remove.statusCode).toBe(409);

    await registerUser(app, 'second@example.com');
    const second = (await addMember(app, owner, 'second@example.com', 'owner')).json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${owner.userId}`, headers: bearer(owner) })).statusCode).toBe(204);
    expect(second.role).toBe('owner');
  });

  it('lets only owners make owners, and refuses members without org:admin', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    await registerUser(app, 'admin@example.com');
    await registerUser(app, 'viewer@example.com');
    await registerUser(app, 'carol@example.com');
    await addMember(app, owner, 'admin@example.com', 'admin');
    await addMember(app, owner, 'viewer@example.com', 'viewer');
    const admin = await sessionIn(app, 'admin@example.com', owner.organisationId);
    const viewer = await sessionIn(app, 'viewer@example.com', owner.organisationId);

    const adminMakesOwner = await addMember(app, admin, 'carol@example.com', 'owner');
    expect(adminMakesOwner.statusCode).toBe(403);
    expect(adminMakesOwner.json().code).toBe('AUTH_OWNER_REQUIRED');
    expect((await addMember(app, admin, 'carol@example.com', 'member')).statusCode).toBe(201);
    const demoteOwner = await app.inject({ method: 'PATCH', url: `/v1/organisations/${owner.organisationId}/members/${owner.userId}`, headers: bearer(admin), payload: { role: 'viewer' } });
    expect(demoteOwner.statusCode).toBe(403);

    const viewerAdds = await addMember(app, viewer, 'someone@example.com', 'member');
    expect(viewerAdds.statusCode).toBe(403);
    expect(viewerAdds.json()).toMatchObject({ code: 'AUTH_PERMISSION_MISSING', permission: 'org:admin' });
    expect((await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(viewer) })).statusCode).toBe(200);
  });

  it('names unknown people and duplicates clearly', async () => {
    const { app } = await buildAuth({ postgres });
    const owner = await registerUser(app, 'owner@example.com');
    const unknown = await addMember(app, owner, 'nobody@example.com', 'member');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'AUTH_USER_NOT_FOUND', field: 'body.email' });
    await registerUser(app, 'bob@example.com');
    await addMember(app, owner, 'bob@example.com', 'member');
    expect((await addMember(app, owner, 'bob@example.com', 'viewer')).statusCode).toBe(409);
    const badRole = await addMember(app, owner, 'bob@example.com', 'superuser');
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().errors[0].field).toBe('body.role');
  });

  it('never lets one organisation read or change another\'s members (404 on every route)', async () => {
    const { app } = await buildAuth({ postgres });
    const alice = await registerUser(app, 'alice@example.com');
    const mallory = await registerUser(app, 'mallory@example.com');
    const target = `/v1/organisations/${alice.organisationId}/members`;
    const attempts = [
      { method: 'GET' as const, url: target },
      { method: 'POST' as const, url: target, payload: { email: 'mallory@example.com', role: 'owner' } },
      { method: 'PATCH' as const, url: `${target}/${alice.userId}`, payload: { role: 'viewer' } },
      { method: 'DELETE' as const, url: `${target}/${alice.userId}` },
    ];
    for (const attempt of attempts) {
      const response = await app.inject({ ...attempt, headers: bearer(mallory) });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(response.json().code).toBe('AUTH_ORGANISATION_NOT_FOUND');
    }
    const members = await app.inject({ method: 'GET', url: target, headers: bearer(alice) });
    expect(members.json().items).toEqual([expect.objectContaining({ email: 'alice@example.com', role: 'owner' })]);
  });

  it('lists the organisations a user belongs to and creates new ones', async () => {
    const { app } = await buildAuth({ postgres });
    const ada = await registerUser(app, 'ada@example.com', { organisationName: 'Analytical Engines' });
    const created = await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(ada), payload: { name: 'Difference Engines' } });
    expect(created.statusCode).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/v1/organisations', headers: bearer(ada) });
    expect(list.json().items.map((entry: { organisationName: string; role: string }) => [entry.organisationName, entry.role]).sort()).toEqual([
      ['Analytical Engines', 'owner'],
      ['Difference Engines', 'owner'],
    ]);
  });
});
