import { describe, expect, it } from 'vitest';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

describe.each(backends)('registration on $name', ({ postgres }) => {
  it('creates the user with a personal organisation they own, and a session', async () => {
    const { app } = await buildAuth({ postgres });
    const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'Ada@Example.com', password: 'a long enough passphrase', displayName: 'Ada' } });
    expect(response.statusCode).toBe(201);
    const session = response.json();
    expect(session).toMatchObject({ tokenType: 'Bearer', organisationName: "Ada's organisation", expiresIn: 900 });
    expect(session.refreshToken).toMatch(/^lift_rt_/);

    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: 'ada@example.com',
      displayName: 'Ada',
      organisationId: session.organisationId,
      roles: ['owner'],
      memberships: [{ organisationId: session.organisationId, role: 'owner', kind: 'tenant' }],
    });
    expect(me.json().permissions).toEqual(expect.arrayContaining(['org:owner', 'org:admin', 'memory:write']));
  });

  it('refuses a second account for the same email, whatever its case, with 409', async () => {
    const { app } = await buildAuth({ postgres });
    await registerUser(app, 'grace@example.com');
    const again = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'GRACE@example.com', password: 'another long passphrase' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AUTH_EMAIL_TAKEN', field: 'body.email' });
  });

  it('refuses weak passwords, naming the field', async () => {
    const { app } = await buildAuth({ postgres });
    const cases = [
      { password: 'short', detail: 'at least 12 characters' },
      { password: 'linus.torvalds-2026', detail: 'email' },
      { password: 'aaaaaaaaaaaaaaaa', detail: 'repeated' },
    ];
    for (const { password, detail } of cases) {
      const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'linus.torvalds@example.com', password } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'AUTH_PASSWORD_REJECTED', field: 'body.password' });
      expect(response.json().detail).toContain(detail);
    }
  });

  it('refuses wrong types, missing and unknown fields and huge strings with 400 naming the field', async () => {
    const { app } = await buildAuth({ postgres });
    const cases: [unknown, string][] = [
      [{ email: 'x@example.com' }, 'body.password'],
      [{ email: 'x@example.com', password: 12345678901234 }, 'body.password'],
      [{ email: 'not-an-email', password: 'a long enough passphrase' }, 'body.email'],
      [{ email: 'x@example.com', password: 'a long enough passphrase', isAdmin: true }, 'body.isAdmin'],
      [{ email: `${'x'.repeat(300)}@example.com`, password: 'a long enough passphrase' }, 'body.email'],
      [{ email: 'x@example.com', password: 'p'.repeat(257) }, 'body.password'],
    ];
    for (const [payload, field] of cases) {
      const response = await app.inject({ method: 'POST', url: '/v1/register', payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });

  it('refuses a megabyte password quickly, before hashing', async () => {
    const { app } = await buildAuth({ postgres });
    const started = performance.now();
    const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'big@example.com', password: 'p'.repeat(1_000_000) } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('body.password');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
