import { hostname } from 'node:os';
import { startStreamConsumer, type SharedState, type StreamConsumer } from '@lift/kit';
import type { BillingDomain } from './billing-domain.js';
import { receiveInternalUsage } from './usage-inbox.js';

/** The stream the platform's producers append usage to (kit event stream, Redis). */
export const usageStream = 'usage';

/**
 * With Redis, billing replicas share one consumer group on the usage stream; each names itself
 * after its host so a restarted replica first redoes what it held unacknowledged.
 */
export function consumeUsageStream(domain: BillingDomain, state: SharedState): StreamConsumer {
  return startStreamConsumer({
    state,
    stream: usageStream,
    group: 'billing',
    consumer: `billing-${hostname()}-${domain.config.PORT}`,
    log: domain.log,
    clock: domain.clock,
    handle: async (events) => void (await receiveInternalUsage(domain, events)),
  });
}
