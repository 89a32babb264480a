import { eventBatchOf, retryDelayMs, streamBatchField, type EventRecord, type Logger, type SharedState } from '@lift/kit';

export interface RevocationStreamFollower {
  stop(): void;
}

/**
 * With Redis: every replica reads the whole revocation stream (not a consumer group: each must
 * hear every revocation), from the newest entry at its start — a replica that just started has
 * no cached tokens to drop. A blocking read wakes as soon as auth appends.
 */
export function followRevocationStream(options: { state: SharedState; stream: string; log: Logger; apply: (events: readonly EventRecord[]) => void; blockMs?: number }): RevocationStreamFollower {
  let stopped = false;
  let failures = 0;
  void (async () => {
    let after: string | undefined;
    while (!stopped) {
      try {
        after ??= await options.state.lastStreamId(options.stream);
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
