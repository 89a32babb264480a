import { eventBatchOf, retryDelayMs, streamBatchField, type Clock, type EventRecord, type Logger, type SharedState } from '@lift/kit';

export interface RevocationStreamFollower {
  stop(): void;
}

/**
 * With Redis: every replica reads the whole revocation stream (not a consumer group: each must
 * hear every revocation). A replica starts `replayMs` back (stream ids begin with the time they
 * were added): a token issued for a key revoked before this replica started is still refused for
 * as long as it could live. A blocking read wakes as soon as auth appends.
 */
export function followRevocationStream(options: { state: SharedState; stream: string; log: Logger; apply: (events: readonly EventRecord[]) => void; replayMs: number; clock: Clock; blockMs?: number }): RevocationStreamFollower {
  let stopped = false;
  let failures = 0;
  void (async () => {
    let after = `${Math.max(0, options.clock.now() - options.replayMs)}-0`;
    while (!stopped) {
      try {
        const entries = await options.state.readStream(options.stream, after, { count: 100, blockMs: options.blockMs ?? 5_000 });
        for (const entry of entries) {
          after = entry.id;
          options.apply(eventBatchOf(entry.fields[streamBatchField]) ?? []);
        }
        if (failures > 0) options.log.info('following revocations works again');
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        if (failures === 1 || failures % 20 === 0) options.log.warn({ err: error }, 'following revocations failed; retrying (cached API-key tokens still end within their lifetime)');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures + 1, 100, 5_000)).unref());
      }
    }
  })();
  return { stop: () => void (stopped = true) };
}
