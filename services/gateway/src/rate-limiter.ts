import type { Clock, SharedState } from '@lift/kit';

export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the current window ends (RateLimit-Reset). */
  readonly resetSeconds: number;
}

export interface RateLimiter {
  check(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/**
 * A sliding window approximated from two fixed windows (the previous one weighted by how much of
 * it still overlaps), as Cloudflare and nginx's limit_req do: smooth at window edges, two counters
 * per key, and atomic per counter in the shared state — so every gateway replica on one Redis
 * shares one limit.
 */
export function slidingWindowLimiter(state: SharedState, clock: Clock): RateLimiter {
  return {
    async check(key, rule) {
      const now = clock.now();
      const index = Math.floor(now / rule.windowMs);
      const intoWindow = now - index * rule.windowMs;
      const [current, previous] = await Promise.all([state.increment(`ratelimit:${key}:${index}`, 1, rule.windowMs * 2), state.get(`ratelimit:${key}:${index - 1}`)]);
      const estimated = Number(previous ?? 0) * (1 - intoWindow / rule.windowMs) + current.value;
      return {
        allowed: estimated <= rule.limit,
        limit: rule.limit,
        remaining: Math.max(0, Math.floor(rule.limit - estimated)),
        resetSeconds: Math.max(1, Math.ceil((rule.windowMs - intoWindow) / 1000)),
      };
    },
  };
}
