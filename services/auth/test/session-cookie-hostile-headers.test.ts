import { describe, expect, it } from 'vitest';
import { cookieLogin, setCookies } from './browser-session.js';
import { buildAuth, registerUser } from './helper.js';

// A Cookie header is the client's to write: an attacker's or a broken one is refused, never a 5xx,
// and two lift_refresh cookies (one planted by a sibling subdomain or under a deeper path) are
// refused rather than one picked.
describe('the lift_refresh cookie from a hostile or broken Cookie header', () => {
  it('is missing when it comes twice, whichever of the two is the real one', async () => {
    const { app } = await buildAuth();
    await registerUser(app, 'ada@example.com');
    await registerUser(app, 'mallory@example.com');
    const ada = await cookieLogin(app, 'ada@example.com');
    const mallory = await cookieLogin(app, 'mallory@example.com');
    for (const cookie of [`lift_refresh=${mallory.refresh}; lift_refresh=${ada.refresh}`, `lift_refresh=${ada.refresh}; lift_refresh=${ada.refresh}`, `lift_refresh=${ada.refresh};lift_refresh=`]) {
      for (const csrf of [ada.csrf, mallory.csrf]) {
        const refreshed = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie, 'x-csrf-token': csrf } });
        expect({ cookie, status: refreshed.statusCode, code: refreshed.json().code }).toEqual({ cookie, status: 401, code: 'AUTH_REFRESH_TOKEN_INVALID' });
      }
    }
    // Both sessions are intact.
    const own = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `other=1; lift_refresh=${ada.refresh}`, 'x-csrf-token': ada.csrf } });
    expect(own.statusCode).toBe(200);
  });

  it('answers 4xx, never 5xx, for long, garbled, quoted and odd headers', async () => {
    const { app } = await buildAuth();
    await registerUser(app, 'ada@example.com');
    const ada = await cookieLogin(app, 'ada@example.com');
    const hostile = [
      `lift_refresh=${'a'.repeat(12_000)}`,
      `${'x=y; '.repeat(2_000)}lift_refresh=${ada.refresh}x`,
      `lift_refresh="${ada.refresh}"`,
      'lift_refresh',
      'lift_refresh=',
      '=; ;;=; lift_refresh==; ',
      'lift_refresh=%00%ff\\"; lift_csrf=<script>',
      `lift_refresh=${ada.refresh.slice(0, -2)}`,
      `lift_refresh=lift_rt_${'\u00e9'.repeat(40)}`,
    ];
    for (const cookie of hostile) {
      for (const route of ['/v1/token/refresh', '/v1/token/logout']) {
        const answer = await app.inject({ method: 'POST', url: route, headers: { cookie, 'x-csrf-token': ada.csrf } });
        expect({ route, cookie: cookie.slice(0, 60), status: answer.statusCode < 500 }).toEqual({ route, cookie: cookie.slice(0, 60), status: true });
        if (route === '/v1/token/refresh') expect(answer.statusCode).toBeGreaterThanOrEqual(400);
      }
    }
    const oversizedCsrf = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${ada.refresh}`, 'x-csrf-token': 'x'.repeat(10_000) } });
    expect(oversizedCsrf.statusCode).toBe(403);
    expect(setCookies(oversizedCsrf)).toEqual([]);
    // None of it touched the session.
    const own = await app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${ada.refresh}`, 'x-csrf-token': ada.csrf } });
    expect(own.statusCode).toBe(200);
  });
});
