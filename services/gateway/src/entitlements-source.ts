import type { Entitlements as BillingEntitlements } from '@lift/sdk';
import { baseUrlOf, type Clock, type HttpClient, type Logger, type ServiceTokenSource, type UrlSource } from '@lift/kit';

/** Billing's answer to GET /v1/entitlements/{org}, as far as the gateway needs it. */
/** What billing answers (the SDK declares it), as far as quotas need it. */
export type Entitlements = Pick<BillingEntitlements, 'planId' | 'periodStart' | 'periodEnd'> & { readonly metrics: readonly Pick<BillingEntitlements['metrics'][number], 'metric' | 'used' | 'included' | 'limit'>[] };

export interface EntitlementsSource {
  /** The organisation's entitlements, or undefined when billing cannot say (quotas then fail open). */
  of(organisation: string): Promise<Entitlements | undefined>;
  /**
   * Billing's answer now rather than the cache's, asked before a request is refused for a limit:
   * a plan upgraded a moment ago must not be refused for up to the cache's lifetime. At most one
   * call per organisation per `recheckMs`; within it, the cached answer.
   */
  current(organisation: string): Promise<Entitlements | undefined>;
}

interface CacheEntry {
  value: Entitlements | undefined;
  freshUntil: number;
  /** When billing last answered for the organisation (0: never). */
  fetchedAt?: number;
  refreshing?: Promise<Entitlements | undefined>;
}

/**
 * Entitlements fetched from billing with the gateway's service token and kept per organisation:
 * fresh for `ttlMs`, then served stale while one background call renews them, so the request
 * path waits only the first time an organisation is seen (or when its period has ended).
 * When billing fails, the answer is undefined for a few seconds, and quotas are not enforced:
 * a billing outage must not take the platform down (Kong's and Envoy's quota plugins do the same).
 */
export function billingEntitlements(options: { http: HttpClient; billingUrl: UrlSource; tokens: ServiceTokenSource; clock: Clock; log: Logger; ttlMs: number; recheckMs?: number }): EntitlementsSource {
  const recheckMs = options.recheckMs ?? 2_000;
  const cache = new Map<string, CacheEntry>();
  let lastWarning = 0;

  const fetchEntitlements = async (organisation: string): Promise<Entitlements | undefined> => {
    try {
      const token = await options.tokens.token();
      const answer = await options.http.call(`${baseUrlOf(options.billingUrl)}/v1/entitlements/${encodeURIComponent(organisation)}`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: 2_000 });
      if (answer.status === 401) options.tokens.refused(token);
      if (answer.status !== 200) throw new Error(`billing answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
      const entitlements = await answer.json<Entitlements>();
      cache.set(organisation, { value: entitlements, freshUntil: options.clock.now() + options.ttlMs, fetchedAt: options.clock.now() });
      return entitlements;
    } catch (error) {
      if (options.clock.now() - lastWarning > 10_000) {
        lastWarning = options.clock.now();
        options.log.warn({ err: error, organisation }, 'entitlements unavailable from billing; quotas are not enforced until it answers');
      }
      const previous = cache.get(organisation)?.value;
      cache.set(organisation, { value: previous, freshUntil: options.clock.now() + Math.min(options.ttlMs, 5_000), fetchedAt: options.clock.now() });
      return previous;
    }
  };

  const refresh = (organisation: string, entry: CacheEntry | undefined): Promise<Entitlements | undefined> => {
    if (entry?.refreshing) return entry.refreshing;
    // Bounded: a forgotten organisation costs one more call to billing, never stale limits.
    if (cache.size >= 100_000 && !cache.has(organisation)) cache.clear();
    const refreshing = fetchEntitlements(organisation);
    cache.set(organisation, { value: entry?.value, freshUntil: entry?.freshUntil ?? 0, fetchedAt: entry?.fetchedAt ?? 0, refreshing });
    return refreshing;
  };

  /** Entitlements of a period that has not ended, or none: limits of an ended period are never applied. */
  const inPeriod = (entitlements: Entitlements | undefined): Entitlements | undefined =>
    entitlements !== undefined && Date.parse(entitlements.periodEnd) > options.clock.now() ? entitlements : undefined;
  const askedRecently = (entry: CacheEntry) => options.clock.now() - (entry.fetchedAt ?? 0) < recheckMs;

  return {
    async of(organisation) {
      const entry = cache.get(organisation);
      // Nothing known yet: wait for billing, sharing one call among concurrent requests.
      if (entry === undefined) return inPeriod(await refresh(organisation, entry));
      if (entry.value === undefined && entry.refreshing) return inPeriod(await entry.refreshing);
      if (entry.value !== undefined && inPeriod(entry.value) === undefined) {
        // A new period: billing's answer for it, asked once per recheckMs (its clock may lag the
        // gateway's, or it may be down); until it has one, quotas are not enforced.
        if (entry.refreshing) return inPeriod(await entry.refreshing);
        return askedRecently(entry) ? undefined : inPeriod(await refresh(organisation, entry));
      }
      if (entry.freshUntil <= options.clock.now()) void refresh(organisation, entry);
      return entry.value;
    },
    async current(organisation) {
      const entry = cache.get(organisation);
      if (entry?.refreshing) return inPeriod(await entry.refreshing);
      // An organisation at its limit sends request after request: billing hears of it once per
      // recheckMs (per gateway replica).
      if (entry !== undefined && askedRecently(entry)) return inPeriod(entry.value);
      return inPeriod(await refresh(organisation, entry));
    },
  };
}
