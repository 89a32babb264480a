import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { deliveredMail } from './delivered-mail.js';
import { backends, bearer, defaultPassword, loginUser, manualClock } from './helper.js';
import { registrationLink } from './registered-under-required.js';

const required = { AUTH_EMAIL_VERIFICATION: 'required' };

describe.each(backends)('confirming a registration (verification required) on $name', ({ postgres }) => {
  it('creates the account, verified, with the organisation asked for, and signs in; the link works once', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres, env: required });
    const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'Ada@Example.test', password: defaultPassword, organisationName: 'Analytical Engines' } });
    expect(registered.statusCode).toBe(202);
    expect(await db.selectFrom('users').select('id').where('email', '=', 'ada@example.test').execute()).toEqual([]);

    const mail = await deliveredMail(inbox, 'ada@example.test');
    expect(mail.text).toContain('https://lift.test/console/confirm-registration?token=lift_rg_');
    const token = new URL((mail.text ?? '').split(/\s+/).find((word) => word.includes('confirm-registration')) ?? '').searchParams.get('token');
    const confirm = () => app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: defaultPassword } });
    const confirmed = await confirm();
    expect(confirmed.statusCode).toBe(201);
    const session = confirmed.json<{ accessToken: string; organisationName: string }>();
    expect(session.organisationName).toBe('Analytical Engines');
    expect(decodeJwt(session.accessToken)).toMatchObject({ email_verified: true, roles: ['owner'] });
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(session) })).statusCode).toBe(200);
    expect(await loginUser(app, 'ada@example.test')).toHaveProperty('accessToken');

    const again = await confirm();
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID', field: 'body.token' });
    expect(await db.selectFrom('pending_registrations').select('id').execute()).toEqual([]);
  });

  it("cannot be finished with the link alone: someone who registered another person's address does not get an account by that person's click", async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres, env: required });
    const attackersLink = await registrationLink(app, inbox, 'victim@example.test', 'the attacker passphrase');
    // The victim opens the unexpected link; not knowing the attacker's password, nothing is created.
    const clicked = await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token: attackersLink, password: 'what the victim guesses' } });
    expect(clicked.statusCode).toBe(401);
    expect(clicked.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(await db.selectFrom('users').select('id').where('email', '=', 'victim@example.test').execute()).toEqual([]);

    // The victim registers for real: their own link, their own password; the attacker's link dies.
    const register = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'victim@example.test', password: defaultPassword } });
    expect(register.statusCode).toBe(202);
    const ownMail = await deliveredMail(inbox, 'victim@example.test', { count: 2 });
    const ownToken = new URL((ownMail.text ?? '').split(/\s+/).find((word) => word.includes('confirm-registration')) ?? '').searchParams.get('token');
    expect((await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token: ownToken, password: defaultPassword } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token: attackersLink, password: 'the attacker passphrase' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'victim@example.test', password: 'the attacker passphrase' } })).statusCode).toBe(401);
  });

  it('kills the link after 5 wrong passwords, saying how many tries remain', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres, env: required });
    const token = await registrationLink(app, inbox, 'ada@example.test');
    const messages: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: `wrong guess number ${attempt}` } });
      expect(wrong.statusCode).toBe(401);
      messages.push(wrong.json<{ detail: string }>().detail);
    }
    expect(messages[0]).toContain('4 tries remain');
    expect(messages[3]).toContain('1 try remains');
    expect(messages[4]).toContain('no longer works');
    expect((await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: defaultPassword } })).json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
  });

  it('lets exactly one of a burst of parallel confirmations create the account', async () => {
    const { app, inbox, db } = await buildAuthWithInbox({ postgres, env: required });
    const token = await registrationLink(app, inbox, 'ada@example.test');
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: defaultPassword } })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 400, 400, 400, 400, 400, 400, 400]);
    expect(await db.selectFrom('users').select('id').where('email', '=', 'ada@example.test').execute()).toHaveLength(1);
  });

  // Review of issue #12: the link was read once and the password checked before the count, so a
  // parallel burst had every password checked.
  it('checks at most 5 passwords of a parallel burst on one link', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres, env: required });
    const token = await registrationLink(app, inbox, 'ada@example.test');
    const passwords = Array.from({ length: 20 }, (_, index) => (index === 17 ? defaultPassword : `wrong guess number ${index}`));
    const answers = await Promise.all(passwords.map((password) => app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password } })));
    const checked = answers.filter((answer) => answer.statusCode === 401 || answer.statusCode === 201);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(answers.filter((answer) => answer.statusCode === 400)).toHaveLength(20 - checked.length);
  });

  it('refuses an expired link', async () => {
    const clock = manualClock();
    const { app, inbox } = await buildAuthWithInbox({ postgres, clock, env: { ...required, EMAIL_VERIFICATION_TOKEN_TTL_MINUTES: '60' } });
    const token = await registrationLink(app, inbox, 'ada@example.test');
    clock.advance(60 * 60_000);
    const late = await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: defaultPassword } });
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({ code: 'AUTH_ACCOUNT_TOKEN_INVALID' });
  });

  it('works an account request written just before the process stopped at the next start', async () => {
    const clock = manualClock();
    const first = await buildAuthWithInbox({ postgres, clock, env: required });
    await first.app.close();
    // As a request the stopped process acknowledged (202) and had not worked yet.
    const now = new Date(clock.now()).toISOString();
    await first.db
      .insertInto('account_requests')
      .values({ id: 'acknowledged-before-the-stop', kind: 'password-reset', email: 'admin@lift.test', ip: '203.0.113.9', payload: null, created_at: now, attempts: 0, next_attempt_at: now })
      .execute();
    const second = await buildAuthWithInbox({ postgres, clock, env: required, storage: first.storage });
    expect((await deliveredMail(second.inbox, 'admin@lift.test')).subject).toBe('Reset your password');
    expect(await second.db.selectFrom('account_requests').select('id').execute()).toEqual([]);
  });
});
