import type { FastifyRequest } from 'fastify';
import { baseUrlOf, httpEventDelivery, openEventPublisher, outboxCloseDrainMs, type ServiceDeps, type ServiceTokenSource, type UrlSource } from '@lift/kit';
import { Counter, type Registry } from 'prom-client';
import type { GatewayConfig } from './config.js';
import { billingEntitlements } from './entitlements-source.js';
import { meteringHook } from './metering-hook.js';
import { quotaGuard } from './quota-guard.js';
import { usageMeter } from './usage-metering.js';

export interface UsageMetering {
  /** The preHandler that enforces quotas and records usage. */
  readonly hook: (request: FastifyRequest) => Promise<void>;
  /** Writes (stream) or keeps (outbox) the events of the requests that finished. */
  close(): Promise<void>;
}

/**
 * Quotas and metering as the gateway runs them: usage events on the kit's event stream to
 * billing (Redis stream, or the local outbox relayed to billing's inbox), hard limits counted
 * in the shared state from billing's entitlements. Needs the gateway's service token. `billingUrl`
 * gives one of billing's instances at each call: BILLING_SERVICE_URL may list several.
 */
export async function startUsageMetering(deps: ServiceDeps<GatewayConfig>, tokens: ServiceTokenSource, metrics: Registry, billingUrl: UrlSource): Promise<UsageMetering> {
  const { config } = deps;
  const publisher = await openEventPublisher({
    state: deps.state,
    stream: 'usage',
    outboxFile: config.EVENT_OUTBOX_FILE,
    deliver: httpEventDelivery({ http: deps.http, url: () => `${baseUrlOf(billingUrl)}/v1/events/usage`, tokens }),
    log: deps.log,
    closeDrainMs: outboxCloseDrainMs(config),
  });
  const hook = meteringHook({
    meter: usageMeter(publisher, deps.clock),
    quota: quotaGuard({
      entitlements: billingEntitlements({ http: deps.http, billingUrl, tokens, clock: deps.clock, log: deps.log, ttlMs: config.QUOTA_CACHE_MS }),
      state: deps.state,
      clock: deps.clock,
      log: deps.log,
      storeFailures: new Counter({ name: 'gateway_quota_store_failures_total', help: 'Quota checks admitted without counting because the shared store failed', registers: [metrics] }),
    }),
  });
  return { hook, close: () => publisher.close() };
}
