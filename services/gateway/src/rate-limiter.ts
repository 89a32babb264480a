import type { Clock, SharedState } from '@lift/kit';

export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /**
   * Seconds until more of the limit is available (RateLimit-Reset): for a refusal, until a
   * request will be admitted (Retry-After); for an admission, until one more than `remaining`
   * would be — both from the weighted previous window, assuming no other requests meanwhile.
   */
  readonly resetSeconds: number;
  /** Takes an admitted request back out of the count, when a later limit refused it after all. */
  release(): Promise<void>;
}

export interface RateLimiter {
  check(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/** The two fixed windows a sliding-window estimate is made of, as seen at one instant. */
export interface WindowCounts {
  /** Requests admitted in the previous window. */
  readonly previous: number;
  /** Requests admitted in the current window so far. */
  readonly current: number;
  /** How far into the current window we are. */
  readonly elapsedMs: number;
  readonly windowMs: number;
}

// Floating-point slack: a client that waits exactly as told must not miss by 1e-15 of a request.
const slack = 1e-9;

/**
 * Milliseconds from now until `count` more requests fit under `limit`, if no others come: the
 * previous window's weight falls linearly through the current window, and at its end the
 * current window's count becomes the weighted previous one.
 */
export function msUntilRoomFor(count: number, windows: WindowCounts, limit: number): number {
  const { previous, current, elapsedMs, windowMs } = windows;
  if (current + count <= limit) {
    if (previous === 0) return 0;
    const weightAllowed = (limit - current - count) / previous;
    return Math.max(0, Math.ceil(windowMs * (1 - weightAllowed) - elapsedMs - slack));
  }
  if (count > limit) return Number.POSITIVE_INFINITY;
  const weightAllowed = (limit - count) / current;
  return Math.ceil(windowMs - elapsedMs + Math.max(0, windowMs * (1 - weightAllowed)) - slack);
}

const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const nothingToRelease = () => Promise.resolve();

/**
 * A sliding window approximated from two fixed windows (the previous one weighted by how much of
 * it still overlaps), as Cloudflare and nginx's limit_req do: smooth at window edges, two counters
 * per key, and atomic per counter in the shared state — so every gateway replica on one Redis
 * shares one limit. Only admitted requests stay counted: a refused one gives its increment back,
 * so hammering a closed limit does not keep it closed, and the reset the headers announce is when
 * a request will really be admitted again.
 */
export function slidingWindowLimiter(state: SharedState, clock: Clock): RateLimiter {
  return {
    async check(key, rule) {
      const now = clock.now();
      const { limit, windowMs } = rule;
      const index = Math.floor(now / windowMs);
      const elapsedMs = now - index * windowMs;
      // One hash tag per key: its windows can be read and counted in one step in Redis Cluster too.
      const counter = `ratelimit:{${key}}:${index}`;
      const { counter: current, read: previousCount } = await state.incrementAndRead(counter, 1, windowMs * 2, `ratelimit:{${key}}:${index - 1}`);
      const previous = Number(previousCount ?? 0);
      const estimate = previous * (1 - elapsedMs / windowMs) + current.value;
      const giveBack = () => state.increment(counter, -1, windowMs * 2).then(nothingToRelease, nothingToRelease);
      if (estimate <= limit + slack) {
        const remaining = Math.max(0, Math.floor(limit - estimate + slack));
        const windows = { previous, current: current.value, elapsedMs, windowMs };
        return { allowed: true, limit, remaining, resetSeconds: toSeconds(msUntilRoomFor(remaining + 1, windows, limit)), release: giveBack };
      }
      await giveBack();
      const windows = { previous, current: current.value - 1, elapsedMs, windowMs };
      return { allowed: false, limit, remaining: 0, resetSeconds: toSeconds(msUntilRoomFor(1, windows, limit)), release: nothingToRelease };
    },
  };
}
