import { randomBytes } from 'node:crypto';
import type { Clock, SharedState } from '@lift/kit';

export interface AttemptLimitSettings {
  /** Where this limit's keys live in the shared state (`auth:login:pair`, …). */
  readonly prefix: string;
  /** Attempts per window before waits begin: attempt `limit` still passes, and starts the first wait. */
  readonly limit: number;
  readonly windowMs: number;
  /** How long attempt `n` (n ≥ limit) keeps the next attempt waiting. */
  waitAfter(attempt: number): number;
}

/** An attempt the limit let through; it stays counted unless given back. */
export interface AdmittedAttempt {
  readonly admitted: true;
  /** When the wait this attempt started ends (0 when it started none). */
  readonly waitUntil: number;
  /** Uncounts the attempt and ends the wait it started (a success that must not count). */
  giveBack(): Promise<void>;
}

export interface RefusedAttempt {
  readonly admitted: false;
  /** When the wait that refused it ends. */
  readonly waitUntil: number;
}

/**
 * Counted attempts with growing waits, safe against parallel attempts on any number of replicas.
 *
 * An attempt first *reserves* its place — an atomic increment in the shared state — and is judged
 * by the value that increment returned, never by a count read earlier. The first `limit - 1` of a
 * window pass. Every later one passes only if no wait runs *and* it is the first to claim the
 * current wait period (another atomic increment, on a key named after the period); it then starts
 * the next wait, `waitAfter(n)`. So exactly one attempt passes per wait, and a burst of parallel
 * guesses cannot all be checked. An attempt refused after counting gives its place back, so
 * refusals never lengthen a wait.
 *
 * Waits are judged by the time stored in them against the service's clock (keys expire only to
 * clean up), and a wait is never deleted, only replaced by one with a new period: a deleted one
 * would bring back a period that was already claimed.
 */
export function attemptLimit(state: SharedState, clock: Clock, settings: AttemptLimitSettings) {
  const counterKey = (key: string) => `${settings.prefix}:count:${key}`;
  const waitKey = (key: string) => `${settings.prefix}:wait:${key}`;
  const claimKey = (key: string, period: string) => `${settings.prefix}:claim:${key}:${period}`;
  // A counter that expired meanwhile is re-created by a give-back: let it vanish at once.
  const uncount = (key: string) => state.increment(counterKey(key), -1, 1);

  const currentWait = async (key: string): Promise<{ until: number; period: string }> => {
    const value = await state.get(waitKey(key));
    return { until: Number(value?.split(' ')[0] ?? 0), period: value ?? 'none' };
  };
  const startWait = async (key: string, until: number): Promise<void> => {
    const period = `${until} ${randomBytes(6).toString('base64url')}`;
    await state.set(waitKey(key), period, { ttlMs: Math.max(settings.windowMs, until - clock.now()) });
  };
  const waitingUntil = async (key: string): Promise<number> => {
    const { until } = await currentWait(key);
    return until > clock.now() ? until : 0;
  };

  return {
    /** When the wait of `key` ends, or 0 when none runs. */
    waitingUntil,

    async reserve(key: string): Promise<AdmittedAttempt | RefusedAttempt> {
      const wait = await currentWait(key);
      if (wait.until > clock.now()) return { admitted: false, waitUntil: wait.until };
      const { value: attempt } = await state.increment(counterKey(key), 1, settings.windowMs);
      if (attempt < settings.limit) return { admitted: true, waitUntil: 0, giveBack: async () => void (await uncount(key)) };
      const { value: claim } = await state.increment(claimKey(key, wait.period), 1, settings.windowMs);
      if (claim !== 1) {
        await uncount(key);
        return { admitted: false, waitUntil: Math.max(await waitingUntil(key), clock.now() + 1000) };
      }
      const until = clock.now() + settings.waitAfter(attempt);
      await startWait(key, until);
      return {
        admitted: true,
        waitUntil: until,
        giveBack: async () => void (await Promise.all([uncount(key), startWait(key, clock.now())])),
      };
    },

    /** Makes the next attempt wait until at least `until` (a wait already longer is kept). */
    async waitAtLeastUntil(key: string, until: number): Promise<void> {
      if ((await waitingUntil(key)) < until) await startWait(key, until);
    },

    /** Forgets every attempt of `key` and ends its wait (a success on a limit that is the user's own). */
    async clear(key: string): Promise<void> {
      // Without a wait key no period was claimed since the claims' keys expired (a wait outlives
      // its claim), so there is nothing to replace — and nothing stored for every success.
      const hasWait = (await state.get(waitKey(key))) !== undefined;
      await Promise.all([state.delete(counterKey(key)), hasWait ? startWait(key, clock.now()) : undefined]);
    },
  };
}

export type AttemptLimit = ReturnType<typeof attemptLimit>;
