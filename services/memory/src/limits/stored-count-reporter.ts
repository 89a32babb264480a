import { randomUUID } from 'node:crypto';
import type { Clock, EventPublisher } from '@lift/kit';

/** Tells billing how many memories an organisation stores now (a level, not a flow). */
export interface StoredCountReporter {
  report(organisationId: string, stored: number): void;
}

export const notReported: StoredCountReporter = { report: () => undefined };

/**
 * One `memory_items` usage event per change, whose quantity is the organisation's count after it:
 * billing aggregates the metric with `max` over the period, so it invoices the highest level
 * reached, and redelivery (same id) counts once. Events go on the kit's event stream like the
 * gateway's (Redis stream `usage`, or the local outbox relayed to billing's inbox).
 */
export function storedCountReporter(publisher: EventPublisher, clock: Clock): StoredCountReporter {
  const prefix = `mem-${randomUUID()}-`;
  let sequence = 0;
  return {
    report(organisationId, stored) {
      sequence += 1;
      publisher.publish({ id: `${prefix}${sequence}`, org: organisationId, metric: 'memory_items', quantity: stored, timestamp: new Date(clock.now()).toISOString(), properties: { upstream: 'memory' } });
    },
  };
}
