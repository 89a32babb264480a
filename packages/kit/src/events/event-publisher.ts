import type { Logger } from '../logger.js';
import type { EventRecord, EventSink } from './event-sink.js';
import { retryDelayMs } from './retry-delay.js';

export interface EventPublisherOptions {
  readonly sink: EventSink;
  readonly log: Logger;
  /** A batch is written at the latest this long after its first event. */
  readonly flushIntervalMs?: number;
  /** A batch is written at once when it holds this many events. */
  readonly maxBatch?: number;
  /**
   * Events kept in memory while the sink fails. Beyond it the oldest are dropped (counted and
   * logged): a producer must not run out of memory because its consumer's store is down.
   */
  readonly maxBacklog?: number;
}

export interface EventPublisher {
  /** Queues an event. Never waits, never throws: publishing is kept off the caller's critical path. */
  publish(event: EventRecord): void;
  /** Writes everything queued now; rejects if the sink fails (the events stay queued). */
  flush(): Promise<void>;
  /** Events not yet durably written. */
  readonly backlog: number;
  /** Events dropped because the backlog was full. */
  readonly dropped: number;
  /** Writes what is queued (best effort) and closes the sink. */
  close(): Promise<void>;
}

/**
 * Group commit for events: a request only appends to an array; a timer writes the array as one
 * batch (one Redis XADD or one SQLite transaction) every `flushIntervalMs`, so the per-event cost
 * on the hot path is a push, and durability costs one write per batch instead of one per event.
 * A failed write keeps the batch and retries with backoff.
 */
export function createEventPublisher(options: EventPublisherOptions): EventPublisher {
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 1_000;
  const maxBacklog = options.maxBacklog ?? 200_000;
  let queued: EventRecord[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let failures = 0;
  let closed = false;

  const schedule = (delayMs: number): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch(() => undefined);
    }, delayMs);
    timer.unref();
  };

  const writeQueued = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued.slice(0, maxBatch);
      try {
        await options.sink.write(batch);
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 100 === 0) options.log.warn({ err: error, backlog: queued.length, sink: options.sink.kind }, 'writing events failed; they stay queued and are retried');
        schedule(retryDelayMs(failures + 1, flushIntervalMs, 5_000));
        throw error;
      }
      if (failures > 0) options.log.info({ sink: options.sink.kind }, 'writing events works again');
      failures = 0;
      queued = queued.slice(batch.length);
    }
  };

  const flush = (): Promise<void> => {
    // One write at a time keeps the events in order; a flush during a write waits for it, then writes the rest.
    writing ??= writeQueued().finally(() => (writing = undefined));
    return writing.then(() => (queued.length > 0 ? flush() : undefined));
  };

  return {
    publish(event) {
      if (queued.length >= maxBacklog) {
        queued.shift();
        dropped += 1;
        if (dropped === 1 || dropped % 10_000 === 0) options.log.error({ dropped, maxBacklog }, 'event backlog full: dropping the oldest events');
      }
      queued.push(event);
      if (queued.length >= maxBatch && failures === 0) {
        clearTimeout(timer);
        timer = undefined;
        schedule(0);
      } else {
        schedule(flushIntervalMs);
      }
    },
    flush,
    get backlog() {
      return queued.length;
    },
    get dropped() {
      return dropped;
    },
    async close() {
      clearTimeout(timer);
      timer = undefined;
      try {
        await flush();
      } catch (error) {
        options.log.error({ err: error, lost: queued.length }, 'events could not be written before closing');
      }
      closed = true;
      await options.sink.close();
    },
  };
}
