import { SignJWT } from 'jose';
import { defaultTokenIssuer } from '@lift/kit';
import { testEpoch } from './manual-clock.js';

export interface TestTokenOptions {
  /** The HS256 secret the app under test verifies with (JWT_ALGORITHM=HS256). */
  readonly secret: string;
  readonly organisation: string;
  readonly permissions: readonly string[];
  readonly subject?: string;
  readonly roles?: readonly string[];
  /**
   * Issue time (ms): by default the harness clock's start (`testEpoch`, where `manualClock()`
   * starts), so a token is valid for an app under test as it starts. A suite against real
   * processes, on the wall clock, passes `Date.now()`.
   */
  readonly atMs?: number;
  readonly lifetimeSeconds?: number;
  /** `act.sub` (RFC 8693): who acts on the subject's behalf, e.g. `module:<id>` for a module's delegated token. */
  readonly actor?: string;
}

/**
 * An access token as auth signs it in HS256 mode (RFC 9068 `at+jwt`, the platform's claims), so a
 * service can be tested alone with exactly the permissions a test needs.
 */
export async function testAccessToken(options: TestTokenOptions): Promise<string> {
  const at = Math.floor((options.atMs ?? testEpoch) / 1000);
  return new SignJWT({ org: options.organisation, roles: [...(options.roles ?? [])], perms: [...options.permissions], ...(options.actor === undefined ? {} : { act: { sub: options.actor } }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject(options.subject ?? 'user-1')
    .setIssuer(defaultTokenIssuer)
    .setAudience('lift-os')
    .setIssuedAt(at)
    .setExpirationTime(at + (options.lifetimeSeconds ?? 600))
    .setJti(`test-${Math.random().toString(36).slice(2)}`)
    .sign(new TextEncoder().encode(options.secret));
}

/** The Authorization header for a `testAccessToken` (issued at `testEpoch` unless `atMs` says otherwise). */
export async function bearerFor(options: TestTokenOptions): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await testAccessToken(options)}` };
}
