import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import type { ServiceApp } from '@lift/kit';
import type { AuthTables } from '../src/app.js';
import { defaultPassword } from './helper.js';

/** The two cookies of a web console session, as the browser holds them. */
export interface BrowserSession {
  readonly accessToken: string;
  readonly refresh: string;
  readonly csrf: string;
}

/** The Set-Cookie values of an answer, as a list (none is an empty list). */
export function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

/** The value each Set-Cookie gives its cookie, by name. */
export function cookieValuesSet(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(setCookies(response).map((cookie) => /^([^=]+)=([^;]*)/.exec(cookie)?.slice(1, 3) ?? []));
}

/** The browser session an answer in cookie mode hands out; fails the test unless both cookies are set. */
export function browserSessionOf(response: LightMyRequestResponse): BrowserSession {
  const values = cookieValuesSet(response);
  expect(values.lift_refresh).toMatch(/^lift_rt_[A-Za-z0-9_-]+$/);
  expect(values.lift_csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { accessToken: response.json<{ accessToken: string }>().accessToken, refresh: values.lift_refresh ?? '', csrf: values.lift_csrf ?? '' };
}

export async function cookieLogin(app: ServiceApp, email: string): Promise<BrowserSession> {
  const response = await app.inject({ method: 'POST', url: '/v1/login', payload: { email, password: defaultPassword, refreshTokenDelivery: 'cookie' } });
  expect(response.statusCode).toBe(200);
  return browserSessionOf(response);
}

/** What the console sends to refresh: no body, the cookie, and the CSRF token in its header. */
export function refreshFromCookie(app: ServiceApp, session: Pick<BrowserSession, 'refresh' | 'csrf'>): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/v1/token/refresh', headers: { cookie: `lift_refresh=${session.refresh}; lift_csrf=${session.csrf}`, 'x-csrf-token': session.csrf } });
}

/** The CSRF token the service should give `refreshToken`: HMAC-SHA256 with the installation's stored secret. */
export async function expectedCsrf(db: Kysely<AuthTables>, refreshToken: string): Promise<string> {
  const { value } = await db.selectFrom('server_secrets').select('value').where('name', '=', 'session-csrf').executeTakeFirstOrThrow();
  return createHmac('sha256', Buffer.from(value, 'base64url')).update(refreshToken).digest('base64url');
}
