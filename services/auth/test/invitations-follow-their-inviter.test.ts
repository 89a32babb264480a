import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { backends, bearer, loginUser, registerUser } from './helper.js';

// Review of issue #12: an invitation outlived its inviter's authority — a removed or demoted
// admin's invitations could still be accepted.
describe.each(backends)('invitations and their inviter\'s current role on $name', ({ postgres }) => {
  it('are revoked (and audited) when the inviter is removed, or demoted below what the invitation needs', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres });
    const owner = await registerUser(app, 'owner@example.test');
    const org = owner.organisationId;
    for (const [email, role] of [['admin@example.test', 'admin'], ['second@example.test', 'owner']] as const) {
      await registerUser(app, email);
      expect((await app.inject({ method: 'POST', url: `/v1/organisations/${org}/members`, headers: bearer(owner), payload: { email, role } })).statusCode).toBe(201);
    }
    const admin = await loginUser(app, 'admin@example.test', undefined, org);
    const second = await loginUser(app, 'second@example.test', undefined, org);
    const invite = async (by: { accessToken: string }, email: string, role: string) => {
      const answer = await app.inject({ method: 'POST', url: `/v1/organisations/${org}/invitations`, headers: bearer(by), payload: { email, role } });
      expect(answer.statusCode).toBe(201);
      return answer.json<{ id: string }>().id;
    };
    const byAdmin = await invite(admin, 'newcomer@example.test', 'member');
    const ownerInvite = await invite(second, 'future-owner@example.test', 'owner');
    const adminInvite = await invite(second, 'future-admin@example.test', 'admin');
    const byOwner = await invite(owner, 'kept@example.test', 'member');
    const pending = async () => (await app.inject({ method: 'GET', url: `/v1/organisations/${org}/invitations`, headers: bearer(owner) })).json<{ items: { id: string }[] }>().items.map((item) => item.id).sort();

    // An owner made admin keeps the invitations an admin may make, not the owner's one.
    expect((await app.inject({ method: 'PATCH', url: `/v1/organisations/${org}/members/${second.userId}`, headers: bearer(owner), payload: { role: 'admin' } })).statusCode).toBe(200);
    expect(await pending()).toEqual([byAdmin, adminInvite, byOwner].sort());
    // An admin made member may invite no one.
    expect((await app.inject({ method: 'PATCH', url: `/v1/organisations/${org}/members/${second.userId}`, headers: bearer(owner), payload: { role: 'member' } })).statusCode).toBe(200);
    expect(await pending()).toEqual([byAdmin, byOwner].sort());

    expect((await app.inject({ method: 'DELETE', url: `/v1/organisations/${org}/members/${admin.userId}`, headers: bearer(owner) })).statusCode).toBe(204);
    expect(await pending()).toEqual([byOwner]);
    const newcomer = await registerUser(app, 'newcomer@example.test');
    const token = linkToken(await deliveredMail(inbox, 'newcomer@example.test', { subject: /invited/ }), '/console/accept-invitation');
    const refused = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(newcomer), payload: { token } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'AUTH_INVITATION_INVALID' });

    const audited = await db.selectFrom('audit_events').select(['target_id', 'details']).where('action', '=', 'invitation.revoked').execute();
    expect(audited.map((event) => [event.target_id, JSON.parse(event.details).reason]).sort()).toEqual(
      [
        [ownerInvite, 'inviter-role-changed'],
        [adminInvite, 'inviter-role-changed'],
        [byAdmin, 'inviter-removed'],
      ].sort(),
    );
  });
});
