import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { backends, bearer, defaultPassword, manualClock } from './helper.js';

const invalidToken = { code: 'AUTH_ACCOUNT_TOKEN_INVALID', field: 'body.token' };

describe.each(backends)('e-mail verification on $name', ({ postgres }) => {
  it('sends a link at registration; the token read from the delivered message verifies the address, once', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres });
    const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'ada@example.test', password: defaultPassword } });
    expect(registered.statusCode).toBe(201);
    expect(decodeJwt(registered.json().accessToken)).toMatchObject({ email_verified: false, roles: ['owner'] });
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(registered.json()) })).json()).toMatchObject({ emailVerified: false });

    const mail = await deliveredMail(inbox, 'ada@example.test');
    expect(mail.subject).toBe('Confirm your e-mail address');
    expect(mail.text).toContain('https://lift.test/console/verify-email?token=');
    const token = linkToken(mail, '/console/verify-email');

    const confirmed = await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } });
    expect(confirmed.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(registered.json()) })).json()).toMatchObject({ emailVerified: true });
    const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: registered.json().refreshToken } });
    expect(decodeJwt(refreshed.json().accessToken)).toMatchObject({ email_verified: true });

    const reused = await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject(invalidToken);
  });

  it('refuses an expired link with the same answer as an unknown one', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock });
    await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'grace@example.test', password: defaultPassword } });
    const token = linkToken(await deliveredMail(inbox, 'grace@example.test'), '/console/verify-email');
    clock.advance(24 * 3_600_000 + 1);
    const expired = await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } });
    const unknown = await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token: `${token.slice(0, -4)}AAAA` } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject(invalidToken);
    expect({ ...expired.json(), requestId: undefined }).toEqual({ ...unknown.json(), requestId: undefined });
  });

  it('a new link replaces the earlier one', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres });
    const session = (await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'alan@example.test', password: defaultPassword } })).json();
    const first = linkToken(await deliveredMail(inbox, 'alan@example.test'), '/console/verify-email');
    const resent = await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) });
    expect(resent.statusCode).toBe(202);
    const second = linkToken(await deliveredMail(inbox, 'alan@example.test', { count: 2 }), '/console/verify-email');
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token: first } })).json()).toMatchObject(invalidToken);
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token: second } })).statusCode).toBe(204);
    const again = await app.inject({ method: 'POST', url: '/v1/email-verification', headers: bearer(session) });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AUTH_EMAIL_ALREADY_VERIFIED' });
  });

  it('confirms once when the same link is posted many times in parallel', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres });
    await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'edsger@example.test', password: defaultPassword } });
    const token = linkToken(await deliveredMail(inbox, 'edsger@example.test'), '/console/verify-email');
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([204, 400, 400, 400, 400, 400, 400, 400]);
    const verified = await db.selectFrom('audit_events').select('action').where('action', '=', 'email.verified').execute();
    expect(verified).toHaveLength(1);
  });
});
