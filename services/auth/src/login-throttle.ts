import { createHash } from 'node:crypto';
import { LiftError, type Clock, type SharedState } from '@lift/kit';
import { authErrorCodes } from './errors.js';

export interface LoginThrottleSettings {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly waitIncrementMs: number;
  readonly maxWaitMs: number;
  readonly quickFailureMs: number;
  readonly maxFailuresPerIp: number;
}

const ipWindowMs = 15 * 60_000;

/**
 * Brute-force protection after Keycloak's: failed logins are counted per account (by email, so
 * unknown accounts are throttled exactly like real ones) and per client address, in the shared
 * state so every replica sees the same counts. An account is locked for a growing wait once it
 * reaches the failure limit in the window, and briefly after two failures in quick succession;
 * an address after too many failures in 15 minutes. A locked login is refused before the password
 * is checked, so the answer never tells whether the password was right.
 */
export function loginThrottle(state: SharedState, clock: Clock, settings: LoginThrottleSettings) {
  const account = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);
  const keys = {
    failures: (email: string) => `auth:login:failures:${account(email)}`,
    lastFailure: (email: string) => `auth:login:last-failure:${account(email)}`,
    accountLock: (email: string) => `auth:login:lock:${account(email)}`,
    ipFailures: (ip: string) => `auth:login:ip-failures:${ip}`,
    ipLock: (ip: string) => `auth:login:ip-lock:${ip}`,
  };

  const lockUntil = async (key: string, untilMs: number): Promise<void> => {
    await state.set(key, String(untilMs), { ttlMs: Math.max(1, untilMs - clock.now()) });
  };

  const lockedError = (untilMs: number): LiftError => {
    const seconds = Math.max(1, Math.ceil((untilMs - clock.now()) / 1000));
    return new LiftError(429, authErrorCodes.loginLocked, 'Too many failed logins', `Too many failed logins; try again in ${seconds} seconds.`, {
      headers: { 'retry-after': String(seconds) },
      extensions: { retryAfterSeconds: seconds },
    });
  };

  return {
    /** Throws 429 when this account or address is locked. */
    async assertNotLocked(email: string, ip: string): Promise<void> {
      const locks = await Promise.all([state.get(keys.accountLock(email)), state.get(keys.ipLock(ip))]);
      const until = Math.max(...locks.map((lock) => Number(lock ?? 0)));
      if (until > clock.now()) throw lockedError(until);
    },

    async recordFailure(email: string, ip: string): Promise<void> {
      const now = clock.now();
      const [failures, last, ipFailures] = await Promise.all([
        state.increment(keys.failures(email), 1, settings.windowMs),
        state.get(keys.lastFailure(email)),
        state.increment(keys.ipFailures(ip), 1, ipWindowMs),
      ]);
      await state.set(keys.lastFailure(email), String(now), { ttlMs: settings.windowMs });
      let waitMs = 0;
      if (failures.value >= settings.maxFailures) {
        waitMs = Math.min(settings.waitIncrementMs * (failures.value - settings.maxFailures + 1), settings.maxWaitMs);
      }
      if (last !== undefined && now - Number(last) < settings.quickFailureMs) waitMs = Math.max(waitMs, settings.waitIncrementMs);
      if (waitMs > 0) await lockUntil(keys.accountLock(email), now + waitMs);
      if (ipFailures.value >= settings.maxFailuresPerIp) await lockUntil(keys.ipLock(ip), now + ipWindowMs);
    },

    /** A successful login clears the account's failures (the address's count runs on). */
    async recordSuccess(email: string): Promise<void> {
      await Promise.all([state.delete(keys.failures(email)), state.delete(keys.lastFailure(email))]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
