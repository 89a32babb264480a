import type { Clock } from '../clock.js';
import type {
  AppendOptions,
  CounterValue,
  ReadGroupOptions,
  SetOptions,
  SharedState,
  StreamEntry,
  Unsubscribe,
} from './shared-state.js';

interface StoredValue {
  value: string;
  expiresAt: number | undefined;
}

interface ConsumerGroup {
  /** Index into the stream's entries of the next entry never delivered to this group. */
  nextIndex: number;
  /** Delivered, not yet acknowledged: entry id → who holds it since when. */
  pending: Map<string, { consumer: string; deliveredAt: number }>;
}

interface Stream {
  entries: StreamEntry[];
  lastMs: number;
  lastSequence: number;
  groups: Map<string, ConsumerGroup>;
  waiters: Set<() => void>;
}

/**
 * The embedded default: everything lives in this process, so it holds for one replica only and
 * is gone on restart. Same behaviour as the Redis implementation (one test suite runs on both).
 */
export class InProcessState implements SharedState {
  readonly kind = 'in-process' as const;
  private readonly values = new Map<string, StoredValue>();
  private readonly channels = new Map<string, Set<(message: string) => void>>();
  private readonly streams = new Map<string, Stream>();
  private readonly clock: Clock;
  private closed = false;
  private writesSinceSweep = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<CounterValue> {
    const now = this.clock.now();
    const current = this.live(key, now);
    const expiresAt = current?.expiresAt ?? now + ttlMs;
    const value = Number(current?.value ?? 0) + by;
    this.values.set(key, { value: String(value), expiresAt });
    this.sweepNowAndThen(now);
    return { value, ttlMs: expiresAt - now };
  }

  async incrementAndRead(key: string, by: number, ttlMs: number, alsoRead: string): Promise<{ counter: CounterValue; read: string | undefined }> {
    return { counter: await this.increment(key, by, ttlMs), read: this.live(alsoRead, this.clock.now())?.value };
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key, this.clock.now())?.value;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const now = this.clock.now();
    if (options.onlyIfAbsent && this.live(key, now) !== undefined) return false;
    this.values.set(key, { value, expiresAt: options.ttlMs === undefined ? undefined : now + options.ttlMs });
    this.sweepNowAndThen(now);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.live(key, this.clock.now()) !== undefined;
    this.values.delete(key);
    return existed;
  }

  async replaceIfEquals(key: string, expected: string, value: string, options: Pick<SetOptions, 'ttlMs'> = {}): Promise<boolean> {
    const now = this.clock.now();
    if (this.live(key, now)?.value !== expected) return false;
    this.values.set(key, { value, expiresAt: options.ttlMs === undefined ? undefined : now + options.ttlMs });
    return true;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.live(key, this.clock.now())?.value !== expected) return false;
    this.values.delete(key);
    return true;
  }

  async publish(channel: string, message: string): Promise<void> {
    for (const listener of this.channels.get(channel) ?? []) queueMicrotask(() => listener(message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const listeners = this.channels.get(channel) ?? new Set();
    listeners.add(listener);
    this.channels.set(channel, listeners);
    return async () => void listeners.delete(listener);
  }

  async appendToStream(name: string, fields: Record<string, string>, options: AppendOptions = {}): Promise<string> {
    const stream = this.stream(name);
    const now = this.clock.now();
    // Redis ids: <ms>-<seq>, strictly increasing even if the clock stands still or steps back.
    if (now > stream.lastMs) {
      stream.lastMs = now;
      stream.lastSequence = 0;
    } else {
      stream.lastSequence += 1;
    }
    const id = `${stream.lastMs}-${stream.lastSequence}`;
    stream.entries.push({ id, fields: { ...fields } });
    if (options.maxLength !== undefined && stream.entries.length > options.maxLength) {
      const removed = stream.entries.length - options.maxLength;
      stream.entries.splice(0, removed);
      for (const group of stream.groups.values()) group.nextIndex = Math.max(0, group.nextIndex - removed);
    }
    for (const wake of [...stream.waiters]) wake();
    return id;
  }

  async readGroup(name: string, groupName: string, consumer: string, options: ReadGroupOptions = {}): Promise<StreamEntry[]> {
    const stream = this.stream(name);
    const group = this.group(stream, groupName);
    const count = options.count ?? 100;
    const take = (): StreamEntry[] => {
      const delivered = stream.entries.slice(group.nextIndex, group.nextIndex + count);
      group.nextIndex += delivered.length;
      const deliveredAt = this.clock.now();
      for (const entry of delivered) group.pending.set(entry.id, { consumer, deliveredAt });
      return delivered;
    };
    const ready = take();
    if (ready.length > 0 || !options.blockMs || this.closed) return ready;
    await this.nextAppend(stream, options.blockMs);
    return take();
  }

  /** Resolves at the stream's next append, or after `blockMs`. */
  private nextAppend(stream: Stream, blockMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        stream.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, blockMs);
      stream.waiters.add(wake);
    });
  }

  async readPending(name: string, groupName: string, consumer: string, count = 100): Promise<StreamEntry[]> {
    const stream = this.stream(name);
    const group = this.group(stream, groupName);
    return stream.entries.filter((entry) => group.pending.get(entry.id)?.consumer === consumer).slice(0, count);
  }

  async claimStale(name: string, groupName: string, consumer: string, minIdleMs: number, count = 100): Promise<StreamEntry[]> {
    const stream = this.stream(name);
    const group = this.group(stream, groupName);
    const now = this.clock.now();
    const claimed = stream.entries.filter((entry) => {
      const holder = group.pending.get(entry.id);
      return holder !== undefined && now - holder.deliveredAt >= minIdleMs;
    }).slice(0, count);
    for (const entry of claimed) group.pending.set(entry.id, { consumer, deliveredAt: now });
    return claimed;
  }

  async acknowledge(name: string, groupName: string, ids: readonly string[]): Promise<number> {
    const group = this.streams.get(name)?.groups.get(groupName);
    if (!group) return 0;
    let acknowledged = 0;
    for (const id of ids) if (group.pending.delete(id)) acknowledged += 1;
    return acknowledged;
  }

  async readStream(name: string, afterId: string, options: ReadGroupOptions = {}): Promise<StreamEntry[]> {
    const stream = this.stream(name);
    const count = options.count ?? 100;
    const after = streamIdParts(afterId);
    const take = (): StreamEntry[] => stream.entries.filter((entry) => compareStreamIds(streamIdParts(entry.id), after) > 0).slice(0, count);
    const ready = take();
    if (ready.length > 0 || !options.blockMs || this.closed) return ready;
    await this.nextAppend(stream, options.blockMs);
    return take();
  }

  async lastStreamId(name: string): Promise<string> {
    return this.streams.get(name)?.entries.at(-1)?.id ?? '0-0';
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('shared state is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stream of this.streams.values()) for (const wake of [...stream.waiters]) wake();
  }

  private live(key: string, now: number): StoredValue | undefined {
    const stored = this.values.get(key);
    if (stored?.expiresAt !== undefined && stored.expiresAt <= now) {
      this.values.delete(key);
      return undefined;
    }
    return stored;
  }

  // Expired keys that nobody reads again would otherwise stay for the life of the process.
  private sweepNowAndThen(now: number): void {
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep < 1024) return;
    this.writesSinceSweep = 0;
    for (const [key, stored] of this.values) {
      if (stored.expiresAt !== undefined && stored.expiresAt <= now) this.values.delete(key);
    }
  }

  private stream(name: string): Stream {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = { entries: [], lastMs: 0, lastSequence: 0, groups: new Map(), waiters: new Set() };
      this.streams.set(name, stream);
    }
    return stream;
  }

  private group(stream: Stream, name: string): ConsumerGroup {
    let group = stream.groups.get(name);
    if (!group) {
      group = { nextIndex: 0, pending: new Map() };
      stream.groups.set(name, group);
    }
    return group;
  }
}

/** `<ms>-<seq>` as numbers; Redis compares stream ids this way. */
function streamIdParts(id: string): [number, number] {
  const [ms = '0', sequence = '0'] = id.split('-');
  return [Number(ms), Number(sequence)];
}

function compareStreamIds(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
