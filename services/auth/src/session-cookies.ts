import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ForbiddenError } from '@lift/kit';
import { singleCookie } from './cookie-header.js';
import { authErrorCodes } from './errors.js';

export const refreshCookieName = 'lift_refresh';
export const csrfCookieName = 'lift_csrf';
export const csrfHeaderName = 'x-csrf-token';

/** What a refresh token looks like (base64url after the prefix) within RefreshBody's bound. */
const refreshTokenPattern = /^[A-Za-z0-9_-]{1,200}$/;

export interface SessionCookieOptions {
  /** PUBLIC_URL: the gateway as browsers reach it; its scheme decides `Secure`, its path the cookie's. */
  readonly publicUrl: string;
  /** The refresh token's lifetime: both cookies live as long. */
  readonly lifetimeSeconds: number;
  /** The per-installation secret the CSRF tokens are signed with. */
  readonly csrfKey: Promise<Buffer>;
}

/** The web console's session in two cookies: the refresh token, and the CSRF token bound to it. */
export interface SessionCookies {
  /** Set-Cookie values handing a browser the session of `refreshToken`. */
  issued(refreshToken: string): Promise<string[]>;
  /** Set-Cookie values removing both cookies. */
  readonly cleared: readonly string[];
  /** The refresh token of the request's `lift_refresh` cookie; undefined when absent, repeated or malformed. */
  refreshTokenOf(headers: IncomingHttpHeaders): string | undefined;
  /** Refuses (403 AUTH_CSRF_REJECTED) a request whose `x-csrf-token` is not the CSRF token of `refreshToken`. */
  checkCsrf(headers: IncomingHttpHeaders, refreshToken: string): Promise<void>;
}

/**
 * The refresh token lives in an HttpOnly cookie scoped to the gateway path of the token routes
 * (`PUBLIC_URL`'s path + `/auth/v1/token`), so scripts never read it and no other route receives
 * it. Its CSRF token is a signed double-submit token: HMAC(secret, refresh token) in a cookie the
 * console reads and sends back in `x-csrf-token`. Being bound to the session, a cookie pair
 * planted by a sibling subdomain cannot pass for the victim's session, and a value of one session
 * is refused for another.
 */
export function sessionCookies(options: SessionCookieOptions): SessionCookies {
  const publicUrl = new URL(options.publicUrl);
  // A `;` would end the attribute: the one character a URL path keeps that a cookie path cannot hold.
  const refreshPath = `${publicUrl.pathname.replace(/\/+$/, '')}/auth/v1/token`.replaceAll(';', '%3B');
  const secure = publicUrl.protocol === 'https:' ? '; Secure' : '';
  const refreshCookie = (value: string, maxAge: number) => `${refreshCookieName}=${value}; Path=${refreshPath}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  const csrfCookie = (value: string, maxAge: number) => `${csrfCookieName}=${value}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  const csrfTokenOf = async (refreshToken: string) => createHmac('sha256', await options.csrfKey).update(refreshToken).digest('base64url');

  return {
    async issued(refreshToken) {
      return [refreshCookie(refreshToken, options.lifetimeSeconds), csrfCookie(await csrfTokenOf(refreshToken), options.lifetimeSeconds)];
    },
    cleared: [refreshCookie('', 0), csrfCookie('', 0)],
    refreshTokenOf(headers) {
      const value = singleCookie(headers.cookie, refreshCookieName);
      return value !== undefined && refreshTokenPattern.test(value) ? value : undefined;
    },
    async checkCsrf(headers, refreshToken) {
      const sent = headers[csrfHeaderName];
      const given = Buffer.from(typeof sent === 'string' ? sent : '', 'utf8');
      const expected = Buffer.from(await csrfTokenOf(refreshToken), 'utf8');
      // Constant time over the bytes; only the length, which is public, ends it early.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ForbiddenError(authErrorCodes.csrfRejected, `The ${csrfHeaderName} header is missing or not this session's: send the value of the ${csrfCookieName} cookie in it.`);
      }
    },
  };
}
