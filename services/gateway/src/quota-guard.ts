import { LiftError, type Clock, type Logger, type SharedState } from '@lift/kit';
import type { Counter } from 'prom-client';
import type { Entitlements, EntitlementsSource } from './entitlements-source.js';
import { gatewayErrorCodes } from './errors.js';
import type { MeteredUse } from './usage-metering.js';

export interface QuotaGuard {
  /** Counts the uses against the organisation's hard limits, or throws 402 naming the limit. */
  admit(organisation: string, uses: readonly MeteredUse[]): Promise<void>;
}

export interface QuotaGuardOptions {
  readonly entitlements: EntitlementsSource;
  readonly state: SharedState;
  readonly clock: Clock;
  readonly log: Logger;
  readonly storeFailures: Counter;
}

const dayMs = 86_400_000;

/**
 * Exact, real-time hard limits across every gateway replica: the organisation's running count
 * for the period lives in the shared state (one atomic INCRBY in Redis), seeded once per period
 * from billing's count. A plan that includes N calls therefore admits exactly N; a refused
 * request gives its unit back, so the count stays what was admitted.
 */
export function quotaGuard(options: QuotaGuardOptions): QuotaGuard {
  const seeded = new Set<string>();
  let lastWarning = 0;

  const seed = async (key: string, used: number, ttlMs: number): Promise<void> => {
    if (seeded.has(key)) return;
    // Set-if-absent: the first replica to meet the period seeds it; the others keep its count.
    await options.state.set(key, String(used), { onlyIfAbsent: true, ttlMs });
    // Forgetting is harmless (the next request asks set-if-absent again); it keeps memory bounded.
    if (seeded.size >= 100_000) seeded.clear();
    seeded.add(key);
  };

  /** Counts the uses against `entitlements`' hard limits; on a refusal gives back what it took and throws 402. */
  const admitUnder = async (entitlements: Entitlements, organisation: string, uses: readonly MeteredUse[]): Promise<void> => {
    const taken: { key: string; quantity: number; ttlMs: number }[] = [];
    for (const use of uses) {
      const rule = entitlements.metrics.find((metric) => metric.metric === use.metric);
      if (rule === undefined || rule.limit !== 'hard') continue;
      const key = `quota:${organisation}:${use.metric}:${entitlements.periodStart}`;
      const ttlMs = Math.max(60_000, Date.parse(entitlements.periodEnd) - options.clock.now() + dayMs);
      await seed(key, rule.used, ttlMs);
      const count = await options.state.increment(key, use.quantity, ttlMs);
      if (count.value > rule.included) {
        await Promise.all([...taken, { key, quantity: use.quantity, ttlMs }].map((entry) => options.state.increment(entry.key, -entry.quantity, entry.ttlMs)));
        throw quotaExceeded(use.metric, rule.included, entitlements.planId, entitlements.periodEnd, options.clock.now());
      }
      taken.push({ key, quantity: use.quantity, ttlMs });
    }
  };

  const admitChecked = async (organisation: string, uses: readonly MeteredUse[]): Promise<void> => {
    const cached = await options.entitlements.of(organisation);
    if (cached === undefined) return;
    try {
      await admitUnder(cached, organisation, uses);
    } catch (refusal) {
      if (!(refusal instanceof LiftError)) throw refusal;
      // Before refusing, billing's word now: the tenant may have upgraded since the cache was filled.
      const current = await options.entitlements.current(organisation);
      if (current === undefined || current === cached) throw refusal;
      await admitUnder(current, organisation, uses);
    }
  };

  return {
    async admit(organisation, uses) {
      try {
        await admitChecked(organisation, uses);
      } catch (error) {
        if (error instanceof LiftError) throw error;
        // The shared store failed: admit (fail open, as for general rate limits), say so, count it.
        options.storeFailures.inc();
        if (options.clock.now() - lastWarning > 10_000) {
          lastWarning = options.clock.now();
          options.log.warn({ err: error }, 'the quota store failed; hard limits are not enforced until it is back');
        }
      }
    },
  };
}

function quotaExceeded(metric: string, included: number, planId: string, periodEnd: string, now: number): LiftError {
  const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(periodEnd) - now) / 1000));
  return new LiftError(402, gatewayErrorCodes.quotaExceeded, 'Quota exceeded', `The ${planId} plan includes ${included} ${metric} per period, and they are used up until ${periodEnd}. Upgrade the plan to go on now.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
    extensions: { metric, included, planId, periodEnd },
  });
}
