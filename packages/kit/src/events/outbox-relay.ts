import type { Logger } from '../logger.js';
import type { LocalOutbox } from './local-outbox.js';
import { retryDelayMs } from './retry-delay.js';

export interface OutboxRelayOptions {
  readonly outbox: LocalOutbox;
  /**
   * Hands batches (each a JSON array of events, as written) to the consumer; resolves once it
   * has stored them (idempotently). The text is passed on as it is: parsing and serialising
   * again would cost more than the delivery.
   */
  readonly deliver: (batches: readonly string[]) => Promise<void>;
  readonly log: Logger;
  /** Most events per delivery. */
  readonly maxEventsPerDelivery?: number;
  readonly maxBackoffMs?: number;
}

export interface OutboxRelay {
  /** Resolves when the outbox is empty (tests, shutdown). */
  drained(): Promise<void>;
  /**
   * Shutdown: delivers what the outbox holds now, retrying a failing consumer promptly instead of
   * with the backoff, until the outbox is empty or `withinMs` has passed. Resolves with the
   * batches left (0 when everything was delivered). Meant to be followed by `stop()`.
   */
  deliverWaiting(withinMs: number): Promise<number>;
  /**
   * Stops delivering and waits (up to `waitMs`) for a delivery in flight, so the outbox can be
   * closed after it. A delivery still running then cannot touch the outbox any more; if the
   * consumer took its batches, they are delivered again at the next start and counted once.
   */
  stop(waitMs?: number): Promise<void>;
}

/**
 * Delivers the outbox's batches to the consumer, oldest first, and deletes them only after the
 * consumer acknowledged them: at least once. A consumer that is down (restarting, say) is retried
 * with exponential backoff up to `maxBackoffMs`; nothing is dropped. The consumer must treat
 * a batch delivered twice (acknowledgement lost) as one, which event ids make possible.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const maxEvents = options.maxEventsPerDelivery ?? 5_000;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  let stopped = false;
  let running = false;
  // A write while a round is running may come after that round read the outbox: run once more.
  let runAgain = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  // Set by deliverWaiting: the process is about to go, so waiting seconds between attempts would only lose them.
  let promptRetries = false;
  let inFlight: Promise<void> = Promise.resolve();
  let drainedWaiters: (() => void)[] = [];

  const settleDrainedWaiters = (): void => {
    if (options.outbox.size() > 0) return;
    const waiters = drainedWaiters;
    drainedWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const deliverAll = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      const batches = takeUpTo(options.outbox.oldest(100), maxEvents);
      if (batches.length === 0) return;
      await options.deliver(batches.map((batch) => batch.json));
      if (stopped) return;
      options.outbox.remove(batches.map((batch) => batch.id));
    }
  };

  const run = (): void => {
    if (stopped) return;
    if (running) {
      runAgain = true;
      return;
    }
    running = true;
    runAgain = false;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    inFlight = deliverAll().then(
      () => {
        running = false;
        if (stopped) return;
        if (failures > 0) options.log.info('event delivery works again');
        failures = 0;
        if (runAgain) run();
        else settleDrainedWaiters();
      },
      (error: unknown) => {
        running = false;
        if (stopped) return;
        failures += 1;
        const delayMs = promptRetries ? retryDelayMs(failures, 25, 250) : retryDelayMs(failures + 1, 100, maxBackoffMs);
        if (failures === 1 || failures % 20 === 0) options.log.warn({ err: error, waiting: options.outbox.size(), retryInMs: delayMs }, 'delivering events failed; they stay in the outbox and are retried');
        if (!stopped) {
          retryTimer = setTimeout(run, delayMs);
          retryTimer.unref();
        }
      },
    );
  };

  options.outbox.onWrite(() => {
    // While the consumer is failing, new events wait for the backoff instead of hammering it.
    if (failures === 0) run();
  });
  run();

  const whenEmpty = (resolve: () => void): void => {
    drainedWaiters.push(resolve);
    if (!running) settleDrainedWaiters();
  };

  return {
    drained: () => new Promise<void>(whenEmpty),
    async deliverWaiting(withinMs) {
      if (stopped) return options.outbox.size();
      promptRetries = true;
      // Now rather than when the backoff ends; during a round, this makes it run once more.
      run();
      let emptied: () => void = () => undefined;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((resolve) => whenEmpty((emptied = resolve))), new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]);
      clearTimeout(timer);
      drainedWaiters = drainedWaiters.filter((waiter) => waiter !== emptied);
      return options.outbox.size();
    },
    async stop(waitMs = 5_000) {
      stopped = true;
      clearTimeout(retryTimer);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    },
  };
}

/** Whole batches, at least one, until `maxEvents` would be exceeded. */
function takeUpTo<T extends { count: number }>(batches: readonly T[], maxEvents: number): T[] {
  const taken: T[] = [];
  let events = 0;
  for (const batch of batches) {
    if (taken.length > 0 && events + batch.count > maxEvents) break;
    taken.push(batch);
    events += batch.count;
  }
  return taken;
}
