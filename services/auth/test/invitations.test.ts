import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { backends, bearer, loginUser, manualClock, registerUser } from './helper.js';

const acceptLink = '/console/accept-invitation';

describe.each(backends)('invitations on $name', ({ postgres }) => {
  it('bring a new and an existing user into the organisation with the invited role, once; the audit log shows them', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres });
    const owner = await registerUser(app, 'owner@example.test');
    await registerUser(app, 'existing@example.test');
    const invite = (email: string, role: string) =>
      app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner), payload: { email, role } });

    const forNewcomer = await invite('Newcomer@example.test', 'member');
    expect(forNewcomer.statusCode).toBe(201);
    expect(forNewcomer.json()).toMatchObject({ email: 'newcomer@example.test', role: 'member', invitedBy: owner.userId });
    expect((await invite('existing@example.test', 'admin')).statusCode).toBe(201);
    const pending = await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner) });
    expect(pending.json().items.map((item: { email: string }) => item.email).sort()).toEqual(['existing@example.test', 'newcomer@example.test']);

    const newcomerMail = await deliveredMail(inbox, 'newcomer@example.test');
    expect(newcomerMail.text).toContain('https://lift.test/console/accept-invitation?token=');
    const newcomer = await registerUser(app, 'newcomer@example.test');
    const accepted = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(newcomer), payload: { token: linkToken(newcomerMail, acceptLink) } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ organisationId: owner.organisationId, role: 'member' });

    const existing = await loginUser(app, 'existing@example.test');
    const existingToken = linkToken(await deliveredMail(inbox, 'existing@example.test', { subject: /invited/ }), acceptLink);
    expect((await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(existing), payload: { token: existingToken } })).statusCode).toBe(200);
    const again = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(existing), payload: { token: existingToken } });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'AUTH_INVITATION_INVALID' });

    const members = await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner) });
    expect(members.json().items.map((member: { email: string; role: string }) => [member.email, member.role]).sort()).toEqual([
      ['existing@example.test', 'admin'],
      ['newcomer@example.test', 'member'],
      ['owner@example.test', 'owner'],
    ]);
    const audit = await app.inject({ method: 'GET', url: '/v1/audit-events', headers: bearer(owner) });
    const actions = audit.json().items.map((event: { action: string }) => event.action);
    expect(actions.filter((action: string) => action.startsWith('invitation.')).sort()).toEqual(['invitation.accepted', 'invitation.accepted', 'invitation.created', 'invitation.created']);
    expect((await app.inject({ method: 'GET', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner) })).json().items).toEqual([]);
  });

  it('refuses another address, an expired and a revoked invitation, and lets only owners invite owners', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock });
    const owner = await registerUser(app, 'owner@example.test');
    const stranger = await registerUser(app, 'stranger@example.test');
    let ownerSession = owner;
    const invite = (email: string, role = 'member') => app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(ownerSession), payload: { email, role } });

    await invite('grace@example.test');
    const graceToken = linkToken(await deliveredMail(inbox, 'grace@example.test'), acceptLink);
    const foreign = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(stranger), payload: { token: graceToken } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'AUTH_INVITATION_FOR_ANOTHER_ADDRESS' });

    const revoked = (await invite('alan@example.test')).json();
    const alanToken = linkToken(await deliveredMail(inbox, 'alan@example.test'), acceptLink);
    expect((await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/invitations/${revoked.id}`, headers: bearer(owner) })).statusCode).toBe(204);
    const alan = await registerUser(app, 'alan@example.test');
    expect((await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(alan), payload: { token: alanToken } })).json()).toMatchObject({ code: 'AUTH_INVITATION_INVALID' });

    clock.advance(7 * 86_400_000 + 1);
    const grace = await registerUser(app, 'grace@example.test');
    const expired = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(grace), payload: { token: graceToken } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ code: 'AUTH_INVITATION_INVALID' });

    // An admin (not an owner) may invite members and admins, not owners.
    ownerSession = await loginUser(app, 'owner@example.test');
    const adminInvite = (await invite('ada@example.test', 'admin')).json();
    expect(adminInvite.role).toBe('admin');
    const ada = await registerUser(app, 'ada@example.test');
    await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(ada), payload: { token: linkToken(await deliveredMail(inbox, 'ada@example.test', { subject: /invited/ }), acceptLink) } });
    const adaThere = await loginUser(app, 'ada@example.test', undefined, owner.organisationId);
    const ownerByAdmin = await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(adaThere), payload: { email: 'ken@example.test', role: 'owner' } });
    expect(ownerByAdmin.statusCode).toBe(403);
    expect(ownerByAdmin.json()).toMatchObject({ code: 'AUTH_OWNER_REQUIRED' });
  });

  it('admits one of many parallel acceptances of one invitation', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres });
    const owner = await registerUser(app, 'owner@example.test');
    await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/invitations`, headers: bearer(owner), payload: { email: 'ada@example.test', role: 'member' } });
    const ada = await registerUser(app, 'ada@example.test');
    const token = linkToken(await deliveredMail(inbox, 'ada@example.test', { subject: /invited/ }), acceptLink);
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: bearer(ada), payload: { token } })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    expect(await db.selectFrom('memberships').select('role').where('organisation_id', '=', owner.organisationId).where('user_id', '=', ada.userId).execute()).toEqual([{ role: 'member' }]);
  });
});
