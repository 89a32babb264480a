import type { Logger } from '@lift/kit';

export interface BackgroundRounds {
  /** A round now rather than at the next poll (after a commit that queued work). */
  wake(): void;
  /** Starts the rounds; nothing once stopped (a start that comes late, after the app closed, stays without effect). */
  start(): void;
  /** No new round, for good; resolves when the running one has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `work` in rounds off the request path: one at a time, every `pollMs` (for retries and for
 * work other replicas queued) and at once when woken; a wake during a round runs another right
 * after it, so nothing queued meanwhile waits a whole poll.
 */
export function backgroundRounds(work: () => Promise<unknown>, options: { readonly pollMs: number; readonly log: Logger; readonly failure: string }): BackgroundRounds {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  let started = false;
  let stopped = false;

  const round = (): void => {
    if (!started || stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = work()
      .catch((error: unknown) => options.log.error({ err: error }, options.failure))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          round();
        } else {
          timer = setTimeout(round, options.pollMs);
          timer.unref();
        }
      });
  };

  return {
    wake: () => setImmediate(round),
    start() {
      if (started || stopped) return;
      started = true;
      round();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
