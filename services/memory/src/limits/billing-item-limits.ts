import type { Entitlements } from '@lift/sdk';
import { DependencyUnavailableError, type Clock, type HttpClient, type Logger, type ServiceTokenSource } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';
import type { ItemLimit, ItemLimits } from './item-limits.js';

/**
 * The memory_items limit read from billing's entitlements (the SDK's wire type) with the memory
 * service's token, kept per organisation for `ttlMs`. When billing cannot answer and nothing is
 * known yet, a write is refused with 503 rather than let through unlimited: unlike the gateway's
 * per-request quotas, stored items stay, so failing open would let a free plan grow without bound.
 * A known limit keeps being used while billing is down.
 */
export function billingItemLimits(options: { http: HttpClient; billingUrl: string; tokens: ServiceTokenSource; clock: Clock; log: Logger; ttlMs: number }): ItemLimits {
  const cache = new Map<string, { limit: ItemLimit | undefined; freshUntil: number }>();
  const base = options.billingUrl.replace(/\/$/, '');

  const fetchLimit = async (organisationId: string): Promise<ItemLimit | undefined> => {
    const token = await options.tokens.token();
    const answer = await options.http.call(`${base}/v1/entitlements/${encodeURIComponent(organisationId)}`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: 2_000 });
    if (answer.status === 401) options.tokens.refused(token);
    if (answer.status !== 200) throw new Error(`billing answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
    const entitlements = await answer.json<Entitlements>();
    const rule = entitlements.metrics.find((metric) => metric.metric === 'memory_items');
    return rule?.limit === 'hard' ? { included: rule.included, planId: entitlements.planId, periodEnd: entitlements.periodEnd } : undefined;
  };

  return {
    async limitOf(organisationId) {
      const cached = cache.get(organisationId);
      if (cached && cached.freshUntil > options.clock.now()) return cached.limit;
      try {
        const limit = await fetchLimit(organisationId);
        if (cache.size >= 100_000) cache.clear();
        cache.set(organisationId, { limit, freshUntil: options.clock.now() + options.ttlMs });
        return limit;
      } catch (error) {
        options.log.warn({ err: error, organisationId }, 'the plan\'s memory_items limit could not be read from billing');
        if (cached) return cached.limit;
        throw new DependencyUnavailableError(memoryErrorCodes.limitsUnavailable, 'The plan\'s memory limit cannot be read from billing right now; retry shortly.', { cause: error });
      }
    },
  };
}
