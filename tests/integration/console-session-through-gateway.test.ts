import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthBehindGateway, type AuthBehindGateway } from '../support/auth-behind-gateway.js';

// Issue #20's console session as the browser meets it: the real gateway in front of the real auth
// process. The gateway must hand auth's Set-Cookie to the client, and the Cookie and x-csrf-token
// headers to auth, on routes it treats as public.
let stack: AuthBehindGateway;
beforeAll(async () => {
  stack = await startAuthBehindGateway();
});
afterAll(async () => {
  await stack?.stop();
});

interface Jar {
  refresh: string;
  csrf: string;
}

/** The cookies an answer sets, by name, with the attributes of each. */
function cookiesSet(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((cookie) => [cookie.slice(0, cookie.indexOf('=')), cookie]));
}

/** Reads the jar the way a browser would store it from the answer; fails unless both cookies came. */
function jarOf(response: Response): Jar {
  const cookies = cookiesSet(response);
  const value = (name: string) => /^[^=]+=([^;]*)/.exec(cookies.get(name) ?? '')?.[1] ?? '';
  const jar = { refresh: value('lift_refresh'), csrf: value('lift_csrf') };
  expect(jar.refresh).toMatch(/^lift_rt_/);
  expect(jar.csrf).not.toBe('');
  return jar;
}

const post = (path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${stack.gateway.url}${path}`, { method: 'POST', headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('the web console\'s cookie session through the gateway', () => {
  it('logs in, refreshes and logs out with cookies only: Set-Cookie reaches the browser, Cookie and x-csrf-token reach auth', async () => {
    const registered = await post('/auth/v1/register', {}, { email: 'ada@example.test', password: 'a long enough passphrase', refreshTokenDelivery: 'cookie' });
    expect(registered.status).toBe(201);
    expect(await registered.json()).not.toHaveProperty('refreshToken');
    const first = jarOf(registered);
    expect(cookiesSet(registered).get('lift_refresh')).toBe(`lift_refresh=${first.refresh}; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=2592000`);
    expect(cookiesSet(registered).get('lift_csrf')).toBe(`lift_csrf=${first.csrf}; Path=/; SameSite=Strict; Max-Age=2592000`);

    // No bearer token anywhere below: the token routes are public at the edge.
    const cookie = (jar: Jar) => `lift_refresh=${jar.refresh}; lift_csrf=${jar.csrf}`;
    const withoutCsrf = await post('/auth/v1/token/refresh', { cookie: cookie(first) });
    expect(withoutCsrf.status).toBe(403);
    expect(await withoutCsrf.json()).toMatchObject({ code: 'AUTH_CSRF_REJECTED' });

    const refreshed = await post('/auth/v1/token/refresh', { cookie: cookie(first), 'x-csrf-token': first.csrf });
    expect(refreshed.status).toBe(200);
    const session = (await refreshed.json()) as { accessToken: string };
    expect(session).not.toHaveProperty('refreshToken');
    const second = jarOf(refreshed);
    expect(second.refresh).not.toBe(first.refresh);
    const me = await fetch(`${stack.gateway.url}/auth/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.status).toBe(200);

    const loggedOut = await post('/auth/v1/token/logout', { cookie: cookie(second), 'x-csrf-token': second.csrf });
    expect(loggedOut.status).toBe(204);
    expect([...cookiesSet(loggedOut).values()]).toEqual(['lift_refresh=; Path=/auth/v1/token; HttpOnly; SameSite=Strict; Max-Age=0', 'lift_csrf=; Path=/; SameSite=Strict; Max-Age=0']);

    const afterLogout = await post('/auth/v1/token/refresh', { cookie: cookie(second), 'x-csrf-token': second.csrf }, {});
    expect(afterLogout.status).toBe(401);
    expect(await afterLogout.json()).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_INVALID' });
    expect(cookiesSet(afterLogout).get('lift_refresh')).toMatch(/^lift_refresh=; .*Max-Age=0$/);
  });
});
