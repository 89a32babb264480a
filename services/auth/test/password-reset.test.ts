import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { backends, bearer, defaultPassword, loginUser, manualClock, registerUser } from './helper.js';

const newPassword = 'a brand new passphrase';
const resetLink = '/console/reset-password';

describe.each(backends)('password reset on $name', ({ postgres }) => {
  it('resets with the token read from the delivered link: every session ends, the old password stops working, the address counts as verified', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres });
    const first = await registerUser(app, 'ada@example.test');
    const second = await loginUser(app, 'ada@example.test');

    const asked = await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ADA@example.test' } });
    expect(asked.statusCode).toBe(202);
    const mail = await deliveredMail(inbox, 'ada@example.test', { subject: /Reset/ });
    expect(mail.text).toContain('https://lift.test/console/reset-password?token=');
    const token = linkToken(mail, resetLink);

    const reset = await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } });
    expect(reset.statusCode).toBe(204);
    for (const session of [first, second]) {
      const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: session.refreshToken } });
      expect(refreshed.statusCode).toBe(401);
      expect(refreshed.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_INVALID' });
    }
    expect((await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.test', password: defaultPassword } })).statusCode).toBe(401);
    const signedIn = await loginUser(app, 'ada@example.test', newPassword);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(signedIn) })).json()).toMatchObject({ emailVerified: true });

    const reused = await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: 'yet another passphrase' } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
  });

  // Review of issue #12: a token stolen before the reset still created API keys, owner
  // invitations, organisations and (by organisation switch) sessions after it, at auth.
  it('refuses, at auth, every use of an access token issued before the reset', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock });
    const stolen = await registerUser(app, 'ada@example.test');
    const other = await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(stolen), payload: { name: 'Second Corp' } });
    expect(other.statusCode).toBe(201);
    const uses = (session: { accessToken: string; organisationId: string }) => [
      app.inject({ method: 'POST', url: '/v1/token/switch', headers: bearer(session), payload: { organisationId: other.json<{ id: string }>().id } }),
      app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(session), payload: { name: 'kept', permissions: ['memory:read'] } }),
      app.inject({ method: 'POST', url: `/v1/organisations/${session.organisationId}/invitations`, headers: bearer(session), payload: { email: 'thief@example.test', role: 'owner' } }),
      app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(session), payload: { name: 'Thief Corp' } }),
      app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) }),
    ];

    clock.advance(2_000);
    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ada@example.test' } });
    const token = linkToken(await deliveredMail(inbox, 'ada@example.test', { subject: /Reset/ }), resetLink);
    expect((await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } })).statusCode).toBe(204);
    for (const refused of await Promise.all(uses(stolen))) {
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    }

    clock.advance(1_000);
    const fresh = await loginUser(app, 'ada@example.test', newPassword);
    expect((await Promise.all(uses(fresh))).map((answer) => answer.statusCode)).toEqual([200, 201, 201, 201, 200]);
  });

  it('revokes the API keys the account created, in every organisation, and audits each', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres });
    const ada = await registerUser(app, 'ada@example.test');
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(ada), payload: { name: 'ci', permissions: ['memory:read'] } });
    const key = created.json<{ key: string; id: string }>();
    const exchange = () => app.inject({ method: 'POST', url: '/v1/api-keys/exchange', payload: { apiKey: key.key } });
    expect((await exchange()).statusCode).toBe(200);

    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ada@example.test' } });
    const token = linkToken(await deliveredMail(inbox, 'ada@example.test', { subject: /Reset/ }), resetLink);
    expect((await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } })).statusCode).toBe(204);
    expect((await exchange()).statusCode).toBe(401);
    expect(await db.selectFrom('audit_events').select(['action', 'target_id']).where('action', '=', 'api_key.revoked').execute()).toEqual([{ action: 'api_key.revoked', target_id: key.id }]);
  });

  it('clears the login lockout of the account', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock, env: { LOCKOUT_MAX_FAILURES: '2' } });
    await registerUser(app, 'grace@example.test');
    const login = (password: string) => app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'grace@example.test', password }, remoteAddress: '203.0.113.9' });
    for (const guess of ['wrong one', 'wrong two']) {
      clock.advance(5_000);
      expect((await login(guess)).statusCode).toBe(401);
    }
    expect((await login(newPassword)).statusCode).toBe(429);

    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'grace@example.test' } });
    const token = linkToken(await deliveredMail(inbox, 'grace@example.test', { subject: /Reset/ }), resetLink);
    expect((await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } })).statusCode).toBe(204);
    expect((await login(newPassword)).statusCode).toBe(200);
  });

  it('answers 202 for an address without an account and sends nothing', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres });
    await registerUser(app, 'alan@example.test');
    const unknown = await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'nobody@example.test' } });
    const known = await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'alan@example.test' } });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    await deliveredMail(inbox, 'alan@example.test', { subject: /Reset/ });
    const queued = await db.selectFrom('mail_outbox').select('recipient').execute();
    expect(queued.map((row) => row.recipient)).not.toContain('nobody@example.test');
  });

  it('applies the password policy and leaves a refused attempt\'s token usable', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres });
    await registerUser(app, 'edsger@example.test');
    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'edsger@example.test' } });
    const token = linkToken(await deliveredMail(inbox, 'edsger@example.test', { subject: /Reset/ }), resetLink);
    const weak = await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'AUTH_PASSWORD_REJECTED', field: 'body.password' });
    expect((await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token, password: newPassword } })).statusCode).toBe(204);
  });

  it('refuses an expired reset link, and a token of the other purpose at either route', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock });
    await registerUser(app, 'barbara@example.test');
    const verification = linkToken(await deliveredMail(inbox, 'barbara@example.test', { subject: /Confirm/ }), '/console/verify-email');
    await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'barbara@example.test' } });
    const reset = linkToken(await deliveredMail(inbox, 'barbara@example.test', { subject: /Reset/ }), resetLink);

    const swappedAtReset = await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token: verification, password: newPassword } });
    const swappedAtVerification = await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token: reset } });
    for (const refused of [swappedAtReset, swappedAtVerification]) {
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
    }
    clock.advance(30 * 60_000 + 1);
    const expired = await app.inject({ method: 'POST', url: '/v1/password-reset/confirm', payload: { token: reset, password: newPassword } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
    // Within its own lifetime, the verification token still works: the swaps above spent nothing.
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token: verification } })).statusCode).toBe(204);
  });

  it('over the per-recipient limit still answers 202 but sends nothing, and says so in the log', async () => {
    const { app, inbox, db, logs } = await buildAuthWithInbox({ postgres, captureLogs: true, env: { MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: '2' } });
    await registerUser(app, 'ken@example.test'); // the verification link is the first of two
    for (let ask = 0; ask < 3; ask += 1) {
      expect((await app.inject({ method: 'POST', url: '/v1/password-reset', payload: { email: 'ken@example.test' } })).statusCode).toBe(202);
    }
    await deliveredMail(inbox, 'ken@example.test', { subject: /Reset/ });
    const queued = await db.selectFrom('mail_outbox').select('kind').where('recipient', '=', 'ken@example.test').execute();
    expect(queued.map((row) => row.kind).sort()).toEqual(['email-verification', 'password-reset']);
    const refusals = logs.filter((line) => line.code === 'AUTH_MAIL_LIMITED');
    expect(refusals).toEqual([expect.objectContaining({ kind: 'password-reset', level: 'warn' }), expect.objectContaining({ kind: 'password-reset', level: 'warn' })]);
  });
});
