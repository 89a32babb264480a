import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { SharedState, StreamEntry } from '../state/shared-state.js';
import type { EventRecord } from './event-sink.js';
import { retryDelayMs } from './retry-delay.js';
import { eventBatchOf, streamBatchField } from './stream-sink.js';

export interface StreamConsumerOptions {
  readonly state: SharedState;
  readonly stream: string;
  /** Replicas of one service share a group, so each batch goes to one of them. */
  readonly group: string;
  /** Stable per replica (host name): after a restart it first redoes what it held. */
  readonly consumer: string;
  /** Stores the events; must be idempotent, since a batch can arrive twice. */
  readonly handle: (events: readonly EventRecord[]) => Promise<void>;
  readonly log: Logger;
  /** Paces the look for entries a dead replica left behind. */
  readonly clock: Clock;
  readonly blockMs?: number;
  /** Entries another replica has held unacknowledged this long are taken over. */
  readonly claimIdleMs?: number;
}

export interface StreamConsumer {
  stop(): Promise<void>;
}

/**
 * Reads a stream through a consumer group and acknowledges each entry only after `handle`
 * stored it: at least once. Order of work each round: entries this consumer held before a
 * restart, entries a dead replica left behind, then new ones (blocking read). A failing handler
 * leaves the entry pending; it is retried with backoff.
 */
export function startStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const blockMs = options.blockMs ?? 2_000;
  const claimIdleMs = options.claimIdleMs ?? 60_000;
  let stopped = false;
  let failures = 0;
  let lastClaim = 0;
  let handling: Promise<void> = Promise.resolve();

  const process = async (entries: readonly StreamEntry[]): Promise<void> => {
    for (const entry of entries) {
      if (stopped) return;
      handling = options.handle(eventsOf(entry, options.log));
      await handling;
      await options.state.acknowledge(options.stream, options.group, [entry.id]);
    }
  };

  const round = async (): Promise<void> => {
    await process(await options.state.readPending(options.stream, options.group, options.consumer, 100));
    const now = options.clock.now();
    if (now - lastClaim >= claimIdleMs / 2) {
      lastClaim = now;
      await process(await options.state.claimStale(options.stream, options.group, options.consumer, claimIdleMs, 100));
    }
    await process(await options.state.readGroup(options.stream, options.group, options.consumer, { count: 100, blockMs }));
  };

  void (async () => {
    while (!stopped) {
      try {
        await round();
        if (failures > 0) options.log.info({ stream: options.stream }, 'consuming the event stream works again');
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        if (failures === 1 || failures % 20 === 0) options.log.warn({ err: error, stream: options.stream }, 'consuming the event stream failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures + 1, 100, 5_000)).unref());
      }
    }
  })();

  return {
    // Waits for the batch being stored, not for a blocking read: closing the state ends that.
    async stop() {
      stopped = true;
      await handling.catch(() => undefined);
    },
  };
}

/** A malformed entry (not written by a kit publisher) is logged and skipped rather than retried for ever. */
function eventsOf(entry: StreamEntry, log: Logger): EventRecord[] {
  const events = eventBatchOf(entry.fields[streamBatchField]);
  if (events) return events;
  log.error({ entryId: entry.id }, 'skipping a stream entry that is not a batch of events');
  return [];
}
