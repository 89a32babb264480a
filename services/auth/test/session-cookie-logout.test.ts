import { describe, expect, it } from 'vitest';
import { cookieLogin, refreshFromCookie, setCookies } from './browser-session.js';
import { backends, buildAuth, registerUser } from './helper.js';

const cleared = ['lift_refresh=; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=0', 'lift_csrf=; Path=/; SameSite=Strict; Max-Age=0'];
const logout = (cookie: string | undefined, csrf: string | undefined) =>
  ({ method: 'POST' as const, url: '/v1/token/logout', headers: { ...(cookie === undefined ? {} : { cookie }), ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) } });

// The refresh cookie reaches only /auth/v1/token/*, so the console logs out there, not at /v1/logout.
describe.each(backends)('logging out from the lift_refresh cookie on $name', ({ postgres }) => {
  it('ends the cookie\'s session and clears both cookies', async () => {
    const { app, db } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.com');
    const session = await cookieLogin(app, 'ada@example.com');
    const answer = await app.inject(logout(`lift_refresh=${session.refresh}; lift_csrf=${session.csrf}`, session.csrf));
    expect(answer.statusCode).toBe(204);
    expect(answer.body).toBe('');
    expect(setCookies(answer)).toEqual(cleared);
    const refreshed = await refreshFromCookie(app, session);
    expect(refreshed.statusCode).toBe(401);
    expect(await db.selectFrom('audit_events').select('action').where('action', '=', 'logout').execute()).toHaveLength(1);
  });

  it('refuses without the session\'s CSRF token, keeping the session and the cookies', async () => {
    const { app } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.com');
    await registerUser(app, 'bob@example.com');
    const ada = await cookieLogin(app, 'ada@example.com');
    const bob = await cookieLogin(app, 'bob@example.com');
    for (const csrf of [undefined, bob.csrf]) {
      const answer = await app.inject(logout(`lift_refresh=${ada.refresh}`, csrf));
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'AUTH_CSRF_REJECTED' });
      expect(setCookies(answer)).toEqual([]);
    }
    expect((await refreshFromCookie(app, ada)).statusCode).toBe(200);
  });

  // Regression (review of #20): without a cookie the answer cleared the cookies, so a page on
  // another site could sign the console out with a form post (its request carries no Strict
  // cookie, but the browser applies the answer's Set-Cookie).
  it('answers 204 and clears nothing when the request has no cookie to end, as often as asked', async () => {
    const { app } = await buildAuth({ postgres });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await app.inject(logout(undefined, undefined));
      expect(answer.statusCode).toBe(204);
      expect(setCookies(answer)).toEqual([]);
    }
  });
});
