import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { SharedState, StreamEntry } from '../state/shared-state.js';
import { retryDelayMs } from './retry-delay.js';

export interface StreamFollower {
  stop(): void;
}

export interface StreamFollowerOptions {
  readonly state: SharedState;
  readonly stream: string;
  /**
   * Where to start: `afterId` (e.g. `lastStreamId` read before work that must not miss what comes
   * next), or `replayMs` back from now (stream ids begin with the time they were added).
   */
  readonly from: { readonly afterId: string } | { readonly replayMs: number };
  /** Each entry in order; the next waits for it. An entry whose work throws is logged and not retried. */
  readonly apply: (entry: StreamEntry) => void | Promise<void>;
  readonly clock: Clock;
  readonly log: Logger;
  /** What is followed, for the log ("revocations", "index changes"). */
  readonly what: string;
  readonly blockMs?: number;
}

/**
 * Reads a whole stream in this process — every replica each entry, unlike a consumer group,
 * which hands each entry to one consumer: a broadcast. A blocking read wakes as soon as an entry
 * is appended; a failing store is retried with growing pauses, logged once and then every 20th time.
 */
export function followStream(options: StreamFollowerOptions): StreamFollower {
  let stopped = false;
  let failures = 0;
  void (async () => {
    let after = 'afterId' in options.from ? options.from.afterId : `${Math.max(0, options.clock.now() - options.from.replayMs)}-0`;
    while (!stopped) {
      let entries: StreamEntry[];
      try {
        entries = await options.state.readStream(options.stream, after, { count: 100, blockMs: options.blockMs ?? 5_000 });
        if (failures > 0) options.log.info(`following ${options.what} works again`);
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        if (failures === 1 || failures % 20 === 0) options.log.warn({ err: error, stream: options.stream }, `following ${options.what} failed; retrying`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures + 1, 100, 5_000)).unref());
        continue;
      }
      for (const entry of entries) {
        if (stopped) break;
        after = entry.id;
        try {
          await options.apply(entry);
        } catch (error) {
          options.log.error({ err: error, stream: options.stream, entry: entry.id }, `applying ${options.what} failed`);
        }
      }
    }
  })();
  return { stop: () => void (stopped = true) };
}
