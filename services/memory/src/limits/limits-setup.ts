import { httpEventDelivery, openEventPublisher, outboxCloseDrainMs, serviceClientSecrets, serviceTokenSource, type EventPublisher, type ServiceDeps, type ServiceTokenSource } from '@lift/kit';
import type { MemoryConfig } from '../config.js';
import { billingItemLimits } from './billing-item-limits.js';
import { unlimited, type ItemLimits } from './item-limits.js';
import { notReported, storedCountReporter, type StoredCountReporter } from './stored-count-reporter.js';

export interface MemoryLimits {
  readonly limits: ItemLimits;
  readonly storedCount: StoredCountReporter;
  close(): Promise<void>;
}

/** The memory service's own tokens (client credentials), when SERVICE_CLIENT_SECRETS has its secret. */
export function memoryServiceTokens(deps: ServiceDeps<MemoryConfig>): ServiceTokenSource | undefined {
  const secret = serviceClientSecrets(deps.config.SERVICE_CLIENT_SECRETS).get('memory');
  return secret ? serviceTokenSource({ http: deps.http, authUrl: deps.config.AUTH_SERVICE_URL, clientId: 'memory', clientSecret: secret, clock: deps.clock }) : undefined;
}

/**
 * Limits and stored-count reporting as the service runs them: billing's entitlements and the
 * kit's event stream (`usage`, the same stream the gateway's metering writes), both with the
 * memory service's own token. Without its secret, or with MEMORY_LIMITS off, neither runs (said
 * once in the log). Tests pass `publisher` and `limits` of their own.
 */
export async function startMemoryLimits(deps: ServiceDeps<MemoryConfig>, tokens: ServiceTokenSource | undefined, overrides: { limits?: ItemLimits | undefined; publisher?: EventPublisher | undefined }): Promise<MemoryLimits> {
  const { config } = deps;
  if (!config.MEMORY_LIMITS) return { limits: overrides.limits ?? unlimited, storedCount: overrides.publisher ? storedCountReporter(overrides.publisher, deps.clock) : notReported, close: async () => undefined };
  if (!tokens && !(overrides.limits && overrides.publisher)) deps.log.warn('SERVICE_CLIENT_SECRETS has no secret for memory: the plan\'s memory_items limit is not enforced and stored counts are not reported to billing');
  const billingUrl = config.BILLING_SERVICE_URL.replace(/\/$/, '');
  const limits = overrides.limits ?? (tokens ? billingItemLimits({ http: deps.http, billingUrl, tokens, clock: deps.clock, log: deps.log, ttlMs: config.ENTITLEMENTS_CACHE_MS }) : unlimited);
  const publisher =
    overrides.publisher ??
    (tokens ? await openEventPublisher({ state: deps.state, stream: 'usage', outboxFile: config.MEMORY_OUTBOX_FILE, deliver: httpEventDelivery({ http: deps.http, url: `${billingUrl}/v1/events/usage`, tokens }), log: deps.log, closeDrainMs: outboxCloseDrainMs(config) }) : undefined);
  return {
    limits,
    storedCount: publisher ? storedCountReporter(publisher, deps.clock) : notReported,
    close: async () => {
      // A publisher the test passed in is the test's to close.
      if (publisher && publisher !== overrides.publisher) await publisher.close();
    },
  };
}
