/**
 * State that several replicas of a service must agree on — rate-limit counters, revocations,
 * lockout counters, caches — and the events between services. One interface, two
 * implementations: in-process (embedded default, one replica) and Redis (REDIS_URL set).
 */
export interface SharedState {
  readonly kind: 'in-process' | 'redis';

  /**
   * Adds `by` to a counter and returns the new value. A counter that did not exist starts a
   * window of `ttlMs`, after which it disappears (a fixed-window counter).
   */
  increment(key: string, by: number, ttlMs: number): Promise<CounterValue>;

  /**
   * `increment` of `key` and a read of `alsoRead`, in one step (one round trip to Redis): a
   * sliding-window limit's current window and the previous one. In Redis Cluster both keys must
   * hash to one slot (a `{…}` hash tag).
   */
  incrementAndRead(key: string, by: number, ttlMs: number, alsoRead: string): Promise<{ readonly counter: CounterValue; readonly read: string | undefined }>;

  get(key: string): Promise<string | undefined>;
  /** Stores a value; with `onlyIfAbsent` it is stored only when the key is free, and the answer says whether it was. */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  /**
   * Stores `value` only while the key holds `expected` (compare-and-set, in one atomic step), with
   * a new expiry from `options.ttlMs` (none without it); the answer says whether it was stored.
   * What a lease's holder renews with: a holder whose lease expired and was taken cannot renew it.
   */
  replaceIfEquals(key: string, expected: string, value: string, options?: Pick<SetOptions, 'ttlMs'>): Promise<boolean>;
  /** Deletes the key only while it holds `expected` (atomically): a lease's holder gives it up, never someone else's. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;

  /** Fire-and-forget broadcast to the subscribers connected now (cache invalidation and the like). */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe>;

  /** Durable, ordered log per stream; read through consumer groups with explicit acknowledgement. */
  appendToStream(stream: string, fields: Record<string, string>, options?: AppendOptions): Promise<string>;
  /**
   * Entries of the stream that no consumer of `group` has received yet (the group is created at
   * the start of the stream when missing). Waits up to `blockMs` when there are none.
   */
  readGroup(stream: string, group: string, consumer: string, options?: ReadGroupOptions): Promise<StreamEntry[]>;
  /** Entries delivered to this consumer and not acknowledged: what a restarted consumer must redo. */
  readPending(stream: string, group: string, consumer: string, count?: number): Promise<StreamEntry[]>;
  /**
   * Takes over entries another consumer received and has not acknowledged for `minIdleMs`: a
   * replica that died holding them would otherwise keep them from being processed for ever.
   */
  claimStale(stream: string, group: string, consumer: string, minIdleMs: number, count?: number): Promise<StreamEntry[]>;
  acknowledge(stream: string, group: string, ids: readonly string[]): Promise<number>;
  /**
   * Entries after `afterId`, for readers that each want every entry (a broadcast: every gateway
   * replica hears of every revocation), unlike a consumer group. Waits up to `blockMs` when there
   * are none.
   */
  readStream(stream: string, afterId: string, options?: ReadGroupOptions): Promise<StreamEntry[]>;
  /** The id of the stream's newest entry (`0-0` when empty): where a reader that wants only new entries starts. */
  lastStreamId(stream: string): Promise<string>;

  /** Resolves when the backing store answers; used by /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CounterValue {
  readonly value: number;
  /** Milliseconds until the counter's window ends. */
  readonly ttlMs: number;
}

export interface SetOptions {
  readonly ttlMs?: number;
  readonly onlyIfAbsent?: boolean;
}

export interface AppendOptions {
  /** Keep about this many newest entries (Redis MAXLEN ~). */
  readonly maxLength?: number;
}

export interface ReadGroupOptions {
  readonly count?: number;
  readonly blockMs?: number;
}

export interface StreamEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

export type Unsubscribe = () => Promise<void>;
