import { randomUUID } from 'node:crypto';
import type { Clock, EventPublisher } from '@lift/kit';

/** One unit of a billing metric that a request uses. */
export interface MeteredUse {
  readonly metric: string;
  readonly quantity: number;
}

const apiCall: MeteredUse = { metric: 'api_calls', quantity: 1 };
const apiCallOnly: readonly MeteredUse[] = [apiCall];
const search: readonly MeteredUse[] = [apiCall, { metric: 'memory_searches', quantity: 1 }];

/** The memory service's routes that search (see docs/api/memory-service.md). */
export const memorySearchPath = '/memory/v1/search';
export const memorySearchBatchPath = '/memory/v1/search/batch';
/** The memory service's cap on queries per batch: a larger batch is refused there, so it never counts more. */
export const maxSearchesPerBatch = 20;

/** Whether the request is a batch search, whose body says how many searches it is. */
export function isSearchBatch(method: string, path: string): boolean {
  return method === 'POST' && path === memorySearchBatchPath;
}

/**
 * What an authenticated request counts against its organisation's plan: every one is an API
 * call; a memory search is also a search, and a batch search as many searches as it has queries
 * (`searchesInBatch`, read from its body). Stored memory items are reported by the memory
 * service, which knows whether an item was really created. Precomputed arrays: nothing is
 * allocated per request except for batches.
 */
export function meteredUses(method: string, path: string, searchesInBatch = 1): readonly MeteredUse[] {
  if (method !== 'POST') return apiCallOnly;
  if (path === memorySearchPath) return search;
  if (path === memorySearchBatchPath) return [apiCall, { metric: 'memory_searches', quantity: Math.min(maxSearchesPerBatch, Math.max(1, searchesInBatch)) }];
  return apiCallOnly;
}

export interface UsageMeter {
  /** Queues one usage event per use; never waits (the publisher writes in batches). */
  record(organisation: string, uses: readonly MeteredUse[], upstream: string): void;
}

/**
 * Usage events as billing's schema wants them. Each gets a unique id, its idempotency key in
 * billing, so redelivery after a crash or a lost acknowledgement counts once: a random prefix
 * drawn when the gateway starts plus a counter, which is unique across replicas and restarts
 * and costs nothing per request. The client's request id is not used, since a client could
 * repeat it. The timestamp string is made once per millisecond.
 */
export function usageMeter(publisher: EventPublisher, clock: Clock): UsageMeter {
  const prefix = `gw-${randomUUID()}-`;
  let sequence = 0;
  let lastMs = -1;
  let timestamp = '';
  return {
    record(organisation, uses, upstream) {
      const now = clock.now();
      if (now !== lastMs) {
        lastMs = now;
        timestamp = new Date(now).toISOString();
      }
      for (const use of uses) {
        sequence += 1;
        publisher.publish({ id: `${prefix}${sequence}`, org: organisation, metric: use.metric, quantity: use.quantity, timestamp, properties: { upstream } });
      }
    },
  };
}
