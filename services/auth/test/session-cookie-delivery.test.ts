import { describe, expect, it } from 'vitest';
import { buildAuthWithInbox } from './auth-with-inbox.js';
import { browserSessionOf, cookieLogin, cookieValuesSet, expectedCsrf, refreshFromCookie, setCookies } from './browser-session.js';
import { bearer, buildAuth, defaultPassword, registerUser } from './helper.js';
import { registrationLink } from './registered-under-required.js';

const thirtyDays = 30 * 86_400;

// Issue #20: the web console asks for its session as cookies; every other client keeps the body.
describe('a session delivered as cookies (refreshTokenDelivery: cookie)', () => {
  it('sets the HttpOnly refresh cookie on the token routes and the readable CSRF cookie, with no refresh token in the JSON', async () => {
    const { app, db } = await buildAuth();
    await registerUser(app, 'ada@example.com');
    const response = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword, refreshTokenDelivery: 'cookie' } });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).not.toHaveProperty('refreshToken');
    expect(body).toMatchObject({ tokenType: 'Bearer', userId: expect.any(String), organisationId: expect.any(String) });
    const { refresh } = browserSessionOf(response);
    // Exactly these attributes: http://localhost:8000 is the default PUBLIC_URL, so not Secure.
    expect(setCookies(response)).toEqual([
      `lift_refresh=${refresh}; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=${thirtyDays}`,
      `lift_csrf=${await expectedCsrf(db, refresh)}; Path=/; SameSite=Strict; Max-Age=${thirtyDays}`,
    ]);
    // The cookie holds a working refresh token of this session, stored only as its hash.
    const stored = await db.selectFrom('refresh_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(refresh);
    expect((await app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken: refresh } })).statusCode).toBe(200);
  });

  it('marks both cookies Secure under an https PUBLIC_URL, scoped to its path, for the refresh token\'s lifetime', async () => {
    const { app } = await buildAuth({ env: { PUBLIC_URL: 'https://lift.example/platform/', REFRESH_TOKEN_TTL_DAYS: '7' } });
    await registerUser(app, 'ada@example.com');
    const response = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword, refreshTokenDelivery: 'cookie' } });
    const { refresh, csrf } = browserSessionOf(response);
    expect(setCookies(response)).toEqual([
      `lift_refresh=${refresh}; Path=/platform/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=${7 * 86_400}; Secure`,
      `lift_csrf=${csrf}; Path=/; SameSite=Strict; Max-Age=${7 * 86_400}; Secure`,
    ]);
  });

  it('leaves body delivery as it was: the refresh token in the JSON, no cookie', async () => {
    const { app } = await buildAuth();
    const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'ada@example.com', password: defaultPassword } });
    expect(registered.json()).toHaveProperty('refreshToken');
    expect(setCookies(registered)).toEqual([]);
    const login = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword, refreshTokenDelivery: 'body' } });
    expect(login.json().refreshToken).toMatch(/^lift_rt_/);
    expect(setCookies(login)).toEqual([]);
    expect((await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'ada@example.com', password: defaultPassword, refreshTokenDelivery: 'jar' } })).statusCode).toBe(400);
  });

  it('signs a registration in with cookies (verification optional)', async () => {
    const { app } = await buildAuth();
    const response = await app.inject({ method: 'POST', url: '/v1/register', payload: { email: 'ada@example.com', password: defaultPassword, refreshTokenDelivery: 'cookie' } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).not.toHaveProperty('refreshToken');
    expect(response.json()).toHaveProperty('organisationName');
    browserSessionOf(response);
  });

  it('signs a confirmed registration in with cookies (verification required)', async () => {
    const { app, inbox } = await buildAuthWithInbox({ postgres: false, env: { AUTH_EMAIL_VERIFICATION: 'required' } });
    const token = await registrationLink(app, inbox, 'ada@example.test');
    const response = await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password: defaultPassword, refreshTokenDelivery: 'cookie' } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).not.toHaveProperty('refreshToken');
    // https://lift.test is that helper's PUBLIC_URL.
    expect(setCookies(response).every((cookie) => cookie.endsWith('; Secure'))).toBe(true);
    browserSessionOf(response);
  });

  it('switches organisation into a new cookie: the session of the organisation switched to', async () => {
    const { app } = await buildAuth();
    const ada = await registerUser(app, 'ada@example.com');
    const bob = await registerUser(app, 'bob@example.com');
    await app.inject({ method: 'POST', url: `/v1/organisations/${bob.organisationId}/members`, headers: bearer(bob), payload: { email: 'ada@example.com', role: 'member' } });
    const before = await cookieLogin(app, 'ada@example.com');
    const switched = await app.inject({ method: 'POST', url: '/v1/token/switch', headers: { ...bearer(ada), cookie: `lift_refresh=${before.refresh}` }, payload: { organisationId: bob.organisationId, refreshTokenDelivery: 'cookie' } });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).not.toHaveProperty('refreshToken');
    const session = browserSessionOf(switched);
    expect(session.refresh).not.toBe(ada.refreshToken);
    // The browser's previous session ended with the switch: one browser, one session.
    expect((await refreshFromCookie(app, before)).statusCode).toBe(401);
    const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${session.refresh}`, 'x-csrf-token': session.csrf } });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().organisationId).toBe(bob.organisationId);
    expect(cookieValuesSet(refreshed).lift_refresh).toMatch(/^lift_rt_/);
  });
});
