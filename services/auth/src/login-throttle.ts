import { createHash, randomBytes } from 'node:crypto';
import { clientAddressKey, LiftError, type Clock, type SharedState } from '@lift/kit';
import { attemptLimit, type AdmittedAttempt, type AttemptLimit } from './attempt-limit.js';
import { authErrorCodes } from './errors.js';

export interface LoginThrottleSettings {
  /** Failures of one account from one address in `windowMs` before each further attempt waits. */
  readonly maxFailures: number;
  /** Failures of one account from addresses not known for it, before attempts from those wait. */
  readonly maxAccountFailures: number;
  readonly windowMs: number;
  readonly waitIncrementMs: number;
  readonly maxWaitMs: number;
  /** Two failures of one account from one address closer than this start a wait. */
  readonly quickFailureMs: number;
  readonly maxFailuresPerIp: number;
  /** How long an address stays known for an account after a successful login from it. */
  readonly knownAddressMs: number;
}

/** One admitted login attempt: the caller reports how it ended. */
export interface LoginAttempt {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

const ipWindowMs = 15 * 60_000;

/**
 * Brute-force protection after Keycloak's defaults and OWASP's guidance, in the shared state so
 * every replica sees the same counts. Three limits, each reserving its attempt atomically before
 * the password is checked (see attempt-limit.ts), so parallel guesses cannot all be checked:
 *
 * - account + address: `maxFailures` in the window, then each further attempt from that address
 *   waits `waitIncrement` longer than the last (up to `maxWait`); two failures in quick succession
 *   also start a wait. A stranger elsewhere cannot lock a person out of their own address.
 * - account, from addresses not known for it: `maxAccountFailures`, then the same growing waits —
 *   against one account guessed from many addresses. An address becomes known for an account by
 *   a successful login or the registration from it, for `knownAddressMs`; attempts from known
 *   addresses are never held up by this limit.
 * - address: `maxFailuresPerIp` failures in 15 minutes (any accounts) lock it for 15 minutes.
 *
 * Unknown accounts are throttled exactly like real ones (counted by normalised email). A waiting
 * attempt is refused with 429 and `Retry-After` before the password is checked, so the answer
 * never tells whether the password was right; the server never sleeps.
 */
export function loginThrottle(state: SharedState, clock: Clock, settings: LoginThrottleSettings) {
  const growingWait = (limit: number) => (attempt: number) => Math.min(settings.waitIncrementMs * (attempt - limit + 1), settings.maxWaitMs);
  const pair = attemptLimit(state, clock, { prefix: 'auth:login:pair', limit: settings.maxFailures, windowMs: settings.windowMs, waitAfter: growingWait(settings.maxFailures) });
  const account = attemptLimit(state, clock, { prefix: 'auth:login:account', limit: settings.maxAccountFailures, windowMs: settings.windowMs, waitAfter: growingWait(settings.maxAccountFailures) });
  const address = attemptLimit(state, clock, { prefix: 'auth:login:address', limit: settings.maxFailuresPerIp, windowMs: ipWindowMs, waitAfter: () => ipWindowMs });

  const accountOf = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);
  // An account's keys carry its generation: a password reset starts a new one, which forgets every
  // count, wait and known address of the account at once, whatever addresses they were for. The
  // marker outlives everything of the old generation, so its lapse brings nothing back.
  const generationKey = (email: string) => `auth:login:generation:${accountOf(email)}`;
  const generationMs = settings.windowMs + settings.maxWaitMs + settings.knownAddressMs;
  const keys = async (email: string, ip: string) => {
    const generation = (await state.get(generationKey(email))) ?? '0';
    const accountKey = `${accountOf(email)}.${generation}`;
    const addressKey = clientAddressKey(ip);
    const pairKey = `${accountKey}:${addressKey}`;
    return { accountKey, addressKey, pairKey, known: `auth:login:known:${pairKey}`, lastFailure: `auth:login:last-failure:${pairKey}` };
  };

  const lockedError = (untilMs: number): LiftError => {
    const seconds = Math.max(1, Math.ceil((untilMs - clock.now()) / 1000));
    return new LiftError(429, authErrorCodes.loginLocked, 'Too many failed logins', `Too many failed logins; try again in ${seconds} seconds.`, {
      headers: { 'retry-after': String(seconds) },
      extensions: { retryAfterSeconds: seconds },
    });
  };

  // The known-address and last-failure markers hold the time they lapse, judged by the service's
  // clock (the key's expiry only cleans up), so every replica and the tests' clock agree on them.
  const remember = async (known: string): Promise<void> => {
    await state.set(known, String(clock.now() + settings.knownAddressMs), { ttlMs: Math.max(1, settings.knownAddressMs) });
  };
  const stillSet = (value: string | undefined): boolean => Number(value ?? 0) > clock.now();

  return {
    /**
     * Reserves a login attempt for this account from this address, or throws 429 with
     * `Retry-After` when one of the limits makes it wait. Call before checking the password.
     */
    async begin(email: string, ip: string): Promise<LoginAttempt> {
      const key = await keys(email, ip);
      const knownAddress = stillSet(await state.get(key.known));
      const reserved: AdmittedAttempt[] = [];
      const limits: [AttemptLimit, string][] = [[address, key.addressKey], [pair, key.pairKey]];
      if (!knownAddress) limits.push([account, key.accountKey]);
      for (const [index, [limit, limitKey]] of limits.entries()) {
        const attempt = await limit.reserve(limitKey);
        if (!attempt.admitted) {
          // Retry-After names the end of the longest wait, so a client that waits as told gets in.
          await Promise.all(reserved.map((earlier) => earlier.giveBack()));
          const later = await Promise.all(limits.slice(index + 1).map(([other, otherKey]) => other.waitingUntil(otherKey)));
          throw lockedError(Math.max(attempt.waitUntil, ...later));
        }
        reserved.push(attempt);
      }
      const [byAddress, byPair, byAccount] = reserved as [AdmittedAttempt, AdmittedAttempt, AdmittedAttempt | undefined];

      return {
        async failed() {
          const now = clock.now();
          // Keycloak's quick-login check: a second failure within `quickFailureMs` starts a wait.
          const quick = stillSet(await state.get(key.lastFailure));
          await state.set(key.lastFailure, String(now + settings.quickFailureMs), { ttlMs: Math.max(60_000, settings.quickFailureMs) });
          if (quick) await pair.waitAtLeastUntil(key.pairKey, Math.max(byPair.waitUntil, now + settings.waitIncrementMs));
        },
        // The person proved who they are from here: their own limit starts afresh and the address
        // becomes known; the shared limits only take this attempt back (an attacker's count stays).
        async succeeded() {
          await Promise.all([pair.clear(key.pairKey), state.delete(key.lastFailure), byAddress.giveBack(), byAccount?.giveBack(), remember(key.known)]);
        },
      };
    },

    /** A registration proves the address belongs to the account's owner, as a login does. */
    async rememberAddress(email: string, ip: string): Promise<void> {
      await remember((await keys(email, ip)).known);
    },

    /** After a password reset: the account's lockout ends, from every address. */
    async forgetAccount(email: string): Promise<void> {
      await state.set(generationKey(email), randomBytes(9).toString('base64url'), { ttlMs: generationMs });
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
