import { describe, expect, it } from 'vitest';
import { browserSessionOf, cookieLogin, expectedCsrf, refreshFromCookie, setCookies } from './browser-session.js';
import { backends, bearer, buildAuth, manualClock, registerUser } from './helper.js';

const cleared = ['lift_refresh=; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=0', 'lift_csrf=; Path=/; SameSite=Strict; Max-Age=0'];

describe.each(backends)('refreshing from the lift_refresh cookie on $name', ({ postgres }) => {
  it('needs the session\'s own CSRF token in x-csrf-token: missing or another session\'s is a 403 that changes nothing', async () => {
    const { app } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.com');
    await registerUser(app, 'bob@example.com');
    const ada = await cookieLogin(app, 'ada@example.com');
    const bob = await cookieLogin(app, 'bob@example.com');

    const withoutHeader = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${ada.refresh}; lift_csrf=${ada.csrf}` } });
    expect(withoutHeader.statusCode).toBe(403);
    expect(withoutHeader.headers['content-type']).toContain('application/problem+json');
    expect(withoutHeader.json()).toMatchObject({ code: 'AUTH_CSRF_REJECTED' });
    expect(setCookies(withoutHeader)).toEqual([]);

    // Bob's CSRF token (his lift_csrf, planted beside Ada's refresh cookie) is not Ada's.
    const othersToken = await refreshFromCookie(app, { refresh: ada.refresh, csrf: bob.csrf });
    expect(othersToken.statusCode).toBe(403);
    expect(othersToken.json()).toMatchObject({ code: 'AUTH_CSRF_REJECTED' });
    const oneCharacterOff = `${ada.csrf.slice(0, -1)}${ada.csrf.endsWith('A') ? 'B' : 'A'}`;
    expect((await refreshFromCookie(app, { refresh: ada.refresh, csrf: oneCharacterOff })).statusCode).toBe(403);
    expect((await refreshFromCookie(app, { refresh: ada.refresh, csrf: 'short' })).statusCode).toBe(403);

    // Nothing was rotated: the cookie still works with its own token.
    expect((await refreshFromCookie(app, ada)).statusCode).toBe(200);
  });

  it('rotates the session with the right CSRF token and answers with new cookies, not in the JSON', async () => {
    const { app, db } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.com');
    const session = await cookieLogin(app, 'ada@example.com');
    const refreshed = await refreshFromCookie(app, session);
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json()).not.toHaveProperty('refreshToken');
    const rotated = browserSessionOf(refreshed);
    expect(rotated.refresh).not.toBe(session.refresh);
    expect(rotated.csrf).not.toBe(session.csrf);
    expect(rotated.csrf).toBe(await expectedCsrf(db, rotated.refresh));
    expect(setCookies(refreshed)[0]).toBe(`lift_refresh=${rotated.refresh}; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=${30 * 86_400}`);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(rotated) })).statusCode).toBe(200);
    // The new pair works; the new cookie with the old CSRF token does not.
    expect((await refreshFromCookie(app, { refresh: rotated.refresh, csrf: session.csrf })).statusCode).toBe(403);
    expect((await refreshFromCookie(app, rotated)).statusCode).toBe(200);
  });

  it('clears both cookies when the cookie\'s token comes back after rotation, and revokes its family as ever', async () => {
    const clock = manualClock();
    const { app, db } = await buildAuth({ postgres, clock });
    await registerUser(app, 'ada@example.com');
    const session = await cookieLogin(app, 'ada@example.com');
    const successor = browserSessionOf(await refreshFromCookie(app, session));
    clock.advance(11_000);

    const reused = await refreshFromCookie(app, session);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_REUSED' });
    expect(setCookies(reused)).toEqual(cleared);
    const afterTheft = await refreshFromCookie(app, successor);
    expect(afterTheft.statusCode).toBe(401);
    expect(afterTheft.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_INVALID' });
    expect(setCookies(afterTheft)).toEqual(cleared);
    expect(await db.selectFrom('audit_events').select('action').where('action', '=', 'refresh_token.reused').execute()).toHaveLength(1);
  });

  it('answers 401 without a cookie or a body token, and clears an expired cookie', async () => {
    const clock = manualClock();
    const { app } = await buildAuth({ postgres, clock, env: { REFRESH_TOKEN_TTL_DAYS: '1' } });
    for (const payload of [undefined, {}]) {
      const none = await app.inject({ method: 'POST', url: '/v1/token/refresh', ...(payload ? { payload } : {}), headers: { 'x-csrf-token': 'anything' } });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_INVALID' });
      expect(setCookies(none)).toEqual([]);
    }
    await registerUser(app, 'ada@example.com');
    const session = await cookieLogin(app, 'ada@example.com');
    clock.advance(86_400_000 + 1);
    const expired = await refreshFromCookie(app, session);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_INVALID' });
    expect(setCookies(expired)).toEqual(cleared);
  });

  it('takes a refresh token in the body over the cookie, and answers it in the body', async () => {
    const { app } = await buildAuth({ postgres });
    const bodySession = await registerUser(app, 'ada@example.com');
    const cookieSession = await cookieLogin(app, 'ada@example.com');
    const response = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${cookieSession.refresh}` }, payload: { refreshToken: bodySession.refreshToken } });
    expect(response.statusCode).toBe(200);
    expect(response.json().refreshToken).toMatch(/^lift_rt_/);
    expect(setCookies(response)).toEqual([]);
    // The cookie's session was not touched.
    expect((await refreshFromCookie(app, cookieSession)).statusCode).toBe(200);
  });
});
