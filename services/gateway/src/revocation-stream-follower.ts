import { eventBatchOf, followStream, streamBatchField, type Clock, type EventRecord, type Logger, type SharedState, type StreamFollower } from '@lift/kit';

/**
 * With Redis: every replica follows the whole revocation stream (the kit's broadcast follower:
 * each must hear every revocation). A replica starts `replayMs` back: a token issued for a key
 * revoked before this replica started is still refused for as long as it could live.
 */
export function followRevocationStream(options: { state: SharedState; stream: string; log: Logger; apply: (events: readonly EventRecord[]) => void; replayMs: number; clock: Clock; blockMs?: number }): StreamFollower {
  return followStream({
    state: options.state,
    stream: options.stream,
    from: { replayMs: options.replayMs },
    clock: options.clock,
    log: options.log,
    what: 'revocations (cached API-key tokens still end within their lifetime)',
    ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
    apply: (entry) => options.apply(eventBatchOf(entry.fields[streamBatchField]) ?? []),
  });
}
