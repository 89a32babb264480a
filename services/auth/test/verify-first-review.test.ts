import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { backends, bearer, loginUser, type AuthUnderTest } from './helper.js';
import { registeredUnderRequired } from './registered-under-required.js';
import type { SmtpStandIn } from './smtp-stand-in.js';

const required = { AUTH_EMAIL_VERIFICATION: 'required' };

/** A verified account, or an unverified one as accounts from before verification was required are. */
async function registered(auth: AuthUnderTest & { inbox: SmtpStandIn }, email: string, verified: boolean) {
  await registeredUnderRequired(auth.app, auth.inbox, email);
  if (!verified) await auth.db.updateTable('users').set({ email_verified_at: null }).where('email', '=', email).execute();
  return loginUser(auth.app, email);
}

// Review of issue #12: what an unverified account may not do under `required`, it may not do by
// another door either.
describe.each(backends)('verify first, by every door, on $name', ({ postgres }) => {
  it('exchanges the API key of a creator who is unverified (an account from before verification) for a token without permissions', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: required });
    const creator = await registered(auth, 'ada@example.test', true);
    const created = await auth.app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(creator), payload: { name: 'ci', permissions: ['memory:read'] } });
    expect(created.statusCode).toBe(201);
    const exchange = () => auth.app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: created.json<{ key: string }>().key } });
    expect(decodeJwt((await exchange()).json<{ accessToken: string }>().accessToken)).toMatchObject({ perms: ['memory:read'] });

    await auth.db.updateTable('users').set({ email_verified_at: null }).where('email', '=', 'ada@example.test').execute();
    const unverified = await exchange();
    expect(unverified.statusCode).toBe(200);
    expect(decodeJwt(unverified.json<{ accessToken: string }>().accessToken)).toMatchObject({ roles: [], perms: [] });
  });

  it('refuses to let an unverified account create an organisation, with AUTH_EMAIL_NOT_VERIFIED', async () => {
    const auth = await buildAuthWithInbox({ postgres, env: required });
    const unverified = await registered(auth, 'grace@example.test', false);
    const refused = await auth.app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(unverified), payload: { name: 'Grace Corp' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AUTH_EMAIL_NOT_VERIFIED' });
    expect(await auth.db.selectFrom('organisations').select('id').where('name', '=', 'Grace Corp').execute()).toEqual([]);

    const verified = await registered(auth, 'alan@example.test', true);
    expect((await auth.app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(verified), payload: { name: 'Alan Corp' } })).statusCode).toBe(201);
  });
});
