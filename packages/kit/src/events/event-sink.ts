/** An event as it travels between services: a JSON object the consumer validates itself. */
export type EventRecord = Readonly<Record<string, unknown>>;

/**
 * Where a publisher hands its batches: a Redis stream, or a durable local outbox that a relay
 * delivers over HTTP. `write` resolves only when the batch is durably stored there.
 */
export interface EventSink {
  readonly kind: 'stream' | 'outbox';
  write(events: readonly EventRecord[]): Promise<void>;
  close(): Promise<void>;
}
