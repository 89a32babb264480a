import type { SharedState } from '../state/shared-state.js';
import type { EventRecord, EventSink } from './event-sink.js';

/** The field of a stream entry that holds its batch of events (a JSON array). */
export const streamBatchField = 'events';

/**
 * Batches appended to a Redis stream (through the shared state), one entry per batch. Consumers
 * read them through a consumer group; the stream keeps about `maxLength` entries, far more than
 * a consumer that is down for a while leaves unread.
 */
export function streamSink(state: SharedState, stream: string, maxLength = 1_000_000): EventSink {
  return {
    kind: 'stream',
    write: async (events: readonly EventRecord[]) => void (await state.appendToStream(stream, { [streamBatchField]: JSON.stringify(events) }, { maxLength })),
    close: async () => undefined,
  };
}

/** The events of a stream entry's batch, or undefined when it is not a batch a kit publisher wrote. */
export function eventBatchOf(batch: string | undefined): EventRecord[] | undefined {
  try {
    const events: unknown = JSON.parse(batch ?? '[]');
    if (Array.isArray(events) && events.every((event) => typeof event === 'object' && event !== null && !Array.isArray(event))) return events as EventRecord[];
  } catch {
    // not JSON
  }
  return undefined;
}
