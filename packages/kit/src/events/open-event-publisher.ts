import type { Logger } from '../logger.js';
import type { SharedState } from '../state/shared-state.js';
import { createEventPublisher, type EventPublisher } from './event-publisher.js';
import { openLocalOutbox } from './local-outbox.js';
import { startOutboxRelay } from './outbox-relay.js';
import { streamSink } from './stream-sink.js';

export interface EventStreamSettings {
  readonly state: SharedState;
  /** The stream's name (Redis key under the state's prefix). */
  readonly stream: string;
  /** Without Redis: the SQLite file that holds batches until the consumer has them. */
  readonly outboxFile: string;
  /** Without Redis: how batches (JSON arrays of events) reach the consumer (see `httpEventDelivery`). */
  readonly deliver: (batches: readonly string[]) => Promise<void>;
  readonly log: Logger;
  readonly flushIntervalMs?: number;
}

export interface EventStreamPublisher extends EventPublisher {
  readonly transport: 'redis-stream' | 'local-outbox';
  /** Resolves when everything published so far has reached the stream or the consumer. */
  delivered(): Promise<void>;
}

/**
 * The kit's event stream, producer side: Redis Streams when the service has Redis (the consumer
 * reads them with `startStreamConsumer`), otherwise a durable local outbox relayed over HTTP to
 * the consumer's inbox. Either way at least once; consumers deduplicate by event id.
 */
export async function openEventPublisher(settings: EventStreamSettings): Promise<EventStreamPublisher> {
  const flush = settings.flushIntervalMs === undefined ? {} : { flushIntervalMs: settings.flushIntervalMs };
  if (settings.state.kind === 'redis') {
    const publisher = createEventPublisher({ sink: streamSink(settings.state, settings.stream), log: settings.log, ...flush });
    return Object.assign(publisher, { transport: 'redis-stream' as const, delivered: () => publisher.flush() });
  }
  const outbox = await openLocalOutbox(settings.outboxFile);
  const relay = startOutboxRelay({ outbox, deliver: settings.deliver, log: settings.log });
  const publisher = createEventPublisher({ sink: outbox, log: settings.log, ...flush });
  return {
    transport: 'local-outbox',
    publish: (event) => publisher.publish(event),
    flush: () => publisher.flush(),
    get backlog() {
      return publisher.backlog + outbox.size();
    },
    get dropped() {
      return publisher.dropped;
    },
    delivered: async () => {
      await publisher.flush();
      await relay.drained();
    },
    // Queued events into the outbox first, then the relay stops (a delivery in flight finishes),
    // then the outbox closes: nothing touches it after that.
    close: async () => {
      await publisher.flush().catch((error: unknown) => settings.log.error({ err: error }, 'events could not be written to the outbox before closing'));
      await relay.stop();
      await publisher.close();
    },
  };
}
