import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { backends, bearer, loginUser, type AuthUnderTest } from './helper.js';
import { registeredUnderRequired } from './registered-under-required.js';
import type { SmtpStandIn } from './smtp-stand-in.js';

const required = { AUTH_EMAIL_VERIFICATION: 'required' };

/**
 * An account whose address is not verified under `required`: one from before verification was
 * required (registration under `required` verifies by its link, so the test unsets it).
 */
async function unverifiedAccount(auth: AuthUnderTest & { inbox: SmtpStandIn }, email: string): Promise<void> {
  await registeredUnderRequired(auth.app, auth.inbox, email);
  await auth.db.updateTable('users').set({ email_verified_at: null }).where('email', '=', email).execute();
}

describe.each(backends)('AUTH_EMAIL_VERIFICATION=required on $name', ({ postgres }) => {
  it('lets an unverified account sign in only to verify; verifying and refreshing gives the full session', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: required });
    const { app, inbox } = auth;
    await unverifiedAccount(auth, 'ada@example.test');

    const session = await loginUser(app, 'ada@example.test');
    expect(decodeJwt(session.accessToken)).toMatchObject({ email_verified: false, roles: [], perms: [] });
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) });
    expect(me.json()).toMatchObject({ emailVerified: false, roles: [], permissions: [], memberships: [{ role: 'owner' }] });
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(session) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) })).statusCode).toBe(202);

    const token = linkToken(await deliveredMail(inbox, 'ada@example.test', { subject: /Confirm/, count: 2 }), '/console/verify-email');
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } })).statusCode).toBe(204);
    const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: session.refreshToken } });
    expect(decodeJwt(refreshed.json().accessToken)).toMatchObject({ email_verified: true, roles: ['owner'] });
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(refreshed.json()) })).statusCode).toBe(200);
  });

  it('refuses to make an unverified member owner or platform admin, with AUTH_EMAIL_NOT_VERIFIED', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: required });
    const { app } = auth;
    await unverifiedAccount(auth, 'grace@example.test');
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    expect(decodeJwt(admin.accessToken)).toMatchObject({ email_verified: true, roles: ['owner'] });
    // A member from before verification was required (direct addition is closed under it).
    const grace = await auth.db.selectFrom('users').select('id').where('email', '=', 'grace@example.test').executeTakeFirstOrThrow();
    await auth.db.insertInto('memberships').values({ organisation_id: admin.organisationId, user_id: grace.id, role: 'viewer', created_at: new Date().toISOString() }).execute();
    for (const role of ['owner', 'member']) {
      const promoted = await app.inject({ method: 'PATCH', url: `/v1/organisations/${admin.organisationId}/members/${grace.id}`, headers: bearer(admin), payload: { role } });
      expect(promoted.statusCode).toBe(403);
      expect(promoted.json()).toMatchObject({ code: 'AUTH_EMAIL_NOT_VERIFIED' });
    }
  });

  // Review of issue #12: adding by address answered 404 for an unknown address and 201 with the
  // person's id and name for a known one — enumeration for anyone owning an organisation, and a
  // membership the person never agreed to.
  it('closes direct addition of members: one answer for every address, invitations instead', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: required });
    const owner = await registeredUnderRequired(auth.app, auth.inbox, 'owner@example.test');
    await registeredUnderRequired(auth.app, auth.inbox, 'ada@example.test');
    const add = (email: string) => auth.app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email, role: 'member' } });
    const known = await add('ada@example.test');
    const unknown = await add('nobody@example.test');
    expect(known.statusCode).toBe(403);
    expect(known.json()).toMatchObject({ code: 'AUTH_INVITATION_REQUIRED' });
    expect(unknown.json<{ detail: string }>().detail).toBe(known.json<{ detail: string }>().detail);
    expect(await auth.db.selectFrom('memberships').select('user_id').where('organisation_id', '=', owner.organisationId).execute()).toHaveLength(1);
  });

  it('answers a resend over the per-recipient limit with 429 and Retry-After', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: { ...required, MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: '3' } });
    const { app, inbox } = auth;
    await unverifiedAccount(auth, 'alan@example.test');
    const session = await loginUser(app, 'alan@example.test');
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) })).statusCode).toBe(202);
    const refused = await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'AUTH_MAIL_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await deliveredMail(inbox, 'alan@example.test', { count: 3 });
    expect(inbox.received).toHaveLength(3);
  });
});
