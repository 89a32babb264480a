import type { Logger } from '../logger.js';
import type { SharedState } from '../state/shared-state.js';
import { createEventPublisher, type EventPublisher } from './event-publisher.js';
import type { EventSink } from './event-sink.js';
import { openLocalOutbox } from './local-outbox.js';
import { startOutboxRelay } from './outbox-relay.js';
import { streamSink } from './stream-sink.js';

export interface EventStreamSettings {
  readonly state: SharedState;
  /** The stream's name (Redis key under the state's prefix). */
  readonly stream: string;
  /** Without Redis, or while it fails: the SQLite file that holds batches until the consumer has them. */
  readonly outboxFile: string;
  /** How the outbox's batches (JSON arrays of events) reach the consumer (see `httpEventDelivery`). */
  readonly deliver: (batches: readonly string[]) => Promise<void>;
  readonly log: Logger;
  readonly flushIntervalMs?: number;
  /**
   * At close, how long the outbox gets to deliver what is waiting (a consumer that fails is
   * retried promptly) before the relay stops; batches still there stay in the file for the next
   * start. 5 s by default: it must fit, after the in-flight requests, in SHUTDOWN_TIMEOUT_MS
   * (10 s by default, 20 s on Kubernetes), or the forced exit cuts it short. 0: no drain.
   */
  readonly closeDrainMs?: number;
}

export interface EventStreamPublisher extends EventPublisher {
  readonly transport: 'redis-stream' | 'local-outbox';
  /** Resolves when everything published so far has reached the stream or the consumer. */
  delivered(): Promise<void>;
}

/**
 * The kit's event stream, producer side: Redis Streams when the service has Redis (the consumer
 * reads them with `startStreamConsumer`), otherwise — and while Redis fails — a durable local
 * outbox relayed over HTTP to the consumer's inbox. At least once; consumers deduplicate by id.
 */
export async function openEventPublisher(settings: EventStreamSettings): Promise<EventStreamPublisher> {
  const flush = settings.flushIntervalMs === undefined ? {} : { flushIntervalMs: settings.flushIntervalMs };
  const closeDrainMs = settings.closeDrainMs ?? 5_000;
  const outbox = await openLocalOutbox(settings.outboxFile, { log: settings.log });
  const relay = startOutboxRelay({ outbox, deliver: settings.deliver, log: settings.log });
  const sink = settings.state.kind === 'redis' ? streamWithOutboxFallback(streamSink(settings.state, settings.stream), outbox, settings.log) : outbox;
  const publisher = createEventPublisher({ sink, log: settings.log, ...flush });
  return {
    transport: settings.state.kind === 'redis' ? 'redis-stream' : 'local-outbox',
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
    // Queued events into their sink first; then the outbox gets a bounded chance to deliver what
    // it holds, because its file may not outlive the process (an emptyDir on Kubernetes); then the
    // relay stops (a delivery still in flight is abandoned and redone at the next start) and the
    // outbox closes: nothing touches it after that.
    close: async () => {
      const writeQueued = () => publisher.flush().catch((error: unknown) => settings.log.error({ err: error }, 'events could not be written before closing'));
      await writeQueued();
      await relay.deliverWaiting(closeDrainMs);
      await relay.stop(0);
      // Events published during the drain reach their sink before the count, not after it.
      await writeQueued();
      const left = outbox.size();
      if (left > 0) settings.log.warn({ batches: left, outboxFile: settings.outboxFile, drainMs: closeDrainMs }, 'event batches are left in the outbox at shutdown: its file keeps them and they are delivered at the next start, if the file is still there');
      await publisher.close();
      await outbox.close();
    },
  };
}

/**
 * With Redis, batches go to the stream; while Redis fails they go to the local outbox instead,
 * which the relay delivers over HTTP as it does without Redis: a Redis outage loses no events
 * and fills no memory.
 */
function streamWithOutboxFallback(stream: EventSink, outbox: EventSink, log: Logger): EventSink {
  let failing = false;
  return {
    kind: 'stream',
    async write(events) {
      try {
        await stream.write(events);
        if (failing) log.info('the event stream takes events again');
        failing = false;
      } catch (error) {
        if (!failing) log.warn({ err: error }, 'the event stream (Redis) failed; events go to the local outbox and are delivered over HTTP');
        failing = true;
        await outbox.write(events);
      }
    },
    // The outbox is closed by its owner, after the relay has stopped.
    close: async () => undefined,
  };
}
