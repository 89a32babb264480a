import { Redis } from 'ioredis';
import type {
  AppendOptions,
  CounterValue,
  ReadGroupOptions,
  SetOptions,
  SharedState,
  StreamEntry,
  Unsubscribe,
} from './shared-state.js';

// INCRBY and the window's expiry in one atomic step: a crash between two commands would leave
// a counter that never expires.
const incrementLua = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end`;
const incrementScript = `${incrementLua}
return {value, ttl}`;
// The same, and a read of a second key (a sliding window's previous one) in the same step.
const incrementAndReadScript = `${incrementLua}
return {value, ttl, redis.call('GET', KEYS[2])}`;

// Compare-and-set and compare-and-delete: GET and SET (or DEL) in one step, so a lease's holder
// never renews or deletes a lease that expired and was taken by another replica in between.
const replaceIfEqualsScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

const deleteIfEqualsScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

interface LiftCommands {
  liftIncrement(key: string, by: number, ttlMs: number): Promise<[number, number]>;
  liftIncrementAndRead(key: string, alsoRead: string, by: number, ttlMs: number): Promise<[number, number, string | null]>;
  liftReplaceIfEquals(key: string, expected: string, value: string, ttlMs: string): Promise<number>;
  liftDeleteIfEquals(key: string, expected: string): Promise<number>;
}

type RawStreamReply = [string, [string, string[]][]][] | null;

export interface RedisStateOptions {
  readonly url: string;
  /** Prefix of every key and channel, so installations (and tests) can share one Redis. */
  readonly keyPrefix: string;
}

/** Shared state in Redis: holds across any number of replicas of a service. */
export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  private readonly redis: Redis & LiftCommands;
  private readonly url: string;
  private readonly prefix: string;
  private subscriber: Redis | undefined;
  // One connection per kind of blocking read: each holds its connection while it waits.
  private readonly blockingReaders = new Map<'group' | 'stream', Redis>();
  private readonly listeners = new Map<string, Set<(message: string) => void>>();

  constructor(options: RedisStateOptions) {
    this.url = options.url;
    this.prefix = options.keyPrefix;
    // Auto-pipelining batches the many small commands of hot paths (rate limits) into one write.
    const redis = new Redis(options.url, { ...redisConnectionOptions, enableAutoPipelining: true });
    redis.defineCommand('liftIncrement', { numberOfKeys: 1, lua: incrementScript });
    redis.defineCommand('liftIncrementAndRead', { numberOfKeys: 2, lua: incrementAndReadScript });
    redis.defineCommand('liftReplaceIfEquals', { numberOfKeys: 1, lua: replaceIfEqualsScript });
    redis.defineCommand('liftDeleteIfEquals', { numberOfKeys: 1, lua: deleteIfEqualsScript });
    // Connection errors surface as failed commands (and in /ready); without a listener ioredis
    // would also print each reconnect attempt as an unhandled error.
    redis.on('error', () => undefined);
    // Once connected, an outage fails commands at once instead of queueing them until Redis is
    // back: every request waited out reconnect attempts per command (seconds each, several per
    // request) and hung, when the callers have a fallback for a failed command (the per-replica
    // rate limiter, the local event outbox). Before the first connection commands still queue as
    // before (through maxRetriesPerRequest reconnect attempts), for a service starting beside Redis.
    // ioredis also closes after each failed first attempt: only a connection that was up counts.
    let connectedOnce = false;
    redis.on('ready', () => {
      connectedOnce = true;
      redis.options.enableOfflineQueue = true;
    });
    redis.on('close', () => {
      if (connectedOnce) redis.options.enableOfflineQueue = false;
    });
    this.redis = redis as Redis & LiftCommands;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<CounterValue> {
    const [value, ttl] = await this.redis.liftIncrement(this.key(key), by, ttlMs);
    return { value: Number(value), ttlMs: Number(ttl) };
  }

  async incrementAndRead(key: string, by: number, ttlMs: number, alsoRead: string): Promise<{ counter: CounterValue; read: string | undefined }> {
    const [value, ttl, read] = await this.redis.liftIncrementAndRead(this.key(key), this.key(alsoRead), by, ttlMs);
    return { counter: { value: Number(value), ttlMs: Number(ttl) }, read: read ?? undefined };
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(key))) ?? undefined;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const name = this.key(key);
    let answer: string | null;
    if (options.ttlMs !== undefined && options.onlyIfAbsent) answer = await this.redis.set(name, value, 'PX', options.ttlMs, 'NX');
    else if (options.ttlMs !== undefined) answer = await this.redis.set(name, value, 'PX', options.ttlMs);
    else if (options.onlyIfAbsent) answer = await this.redis.set(name, value, 'NX');
    else answer = await this.redis.set(name, value);
    return answer === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.key(key))) > 0;
  }

  async replaceIfEquals(key: string, expected: string, value: string, options: Pick<SetOptions, 'ttlMs'> = {}): Promise<boolean> {
    return (await this.redis.liftReplaceIfEquals(this.key(key), expected, value, options.ttlMs === undefined ? '' : String(options.ttlMs))) === 1;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return (await this.redis.liftDeleteIfEquals(this.key(key), expected)) === 1;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.key(channel), message);
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const subscriber = this.subscriberConnection();
    const name = this.key(channel);
    let listeners = this.listeners.get(name);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(name, listeners);
      await subscriber.subscribe(name);
    }
    listeners.add(listener);
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(name) === listeners) {
        this.listeners.delete(name);
        await subscriber.unsubscribe(name);
      }
    };
  }

  async appendToStream(stream: string, fields: Record<string, string>, options: AppendOptions = {}): Promise<string> {
    const flat = Object.entries(fields).flat();
    const key = this.key(stream);
    const id =
      options.maxLength === undefined
        ? await this.redis.xadd(key, '*', ...flat)
        : await this.redis.xadd(key, 'MAXLEN', '~', String(options.maxLength), '*', ...flat);
    return id as string;
  }

  async readGroup(stream: string, group: string, consumer: string, options: ReadGroupOptions = {}): Promise<StreamEntry[]> {
    const key = this.key(stream);
    await this.ensureGroup(key, group);
    const count = String(options.count ?? 100);
    // A blocking read holds its connection; it gets its own so other commands are not stuck behind it.
    const reply = options.blockMs
      ? ((await this.blockingConnection('group').xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', String(options.blockMs), 'STREAMS', key, '>')) as RawStreamReply)
      : ((await this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', key, '>')) as RawStreamReply);
    return entriesOf(reply);
  }

  async readPending(stream: string, group: string, consumer: string, count = 100): Promise<StreamEntry[]> {
    const key = this.key(stream);
    await this.ensureGroup(key, group);
    const reply = (await this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', String(count), 'STREAMS', key, '0')) as RawStreamReply;
    return entriesOf(reply);
  }

  async claimStale(stream: string, group: string, consumer: string, minIdleMs: number, count = 100): Promise<StreamEntry[]> {
    const key = this.key(stream);
    await this.ensureGroup(key, group);
    // XAUTOCLAIM answers [next cursor, entries, deleted ids]; entries trimmed away come back as null.
    const reply = (await this.redis.xautoclaim(key, group, consumer, minIdleMs, '0-0', 'COUNT', count)) as [string, ([string, string[]] | null)[]];
    const entries = reply[1].filter((entry): entry is [string, string[]] => entry !== null);
    return entriesOf([[key, entries]]);
  }

  async acknowledge(stream: string, group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.redis.xack(this.key(stream), group, ...ids);
  }

  async readStream(stream: string, afterId: string, options: ReadGroupOptions = {}): Promise<StreamEntry[]> {
    const key = this.key(stream);
    const count = String(options.count ?? 100);
    const reply = options.blockMs
      ? ((await this.blockingConnection('stream').xread('COUNT', count, 'BLOCK', String(options.blockMs), 'STREAMS', key, afterId)) as RawStreamReply)
      : ((await this.redis.xread('COUNT', count, 'STREAMS', key, afterId)) as RawStreamReply);
    return entriesOf(reply);
  }

  async lastStreamId(stream: string): Promise<string> {
    const newest = (await this.redis.xrevrange(this.key(stream), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return newest[0]?.[0] ?? '0-0';
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    const connections = [this.redis, this.subscriber].filter((connection): connection is Redis => connection !== undefined);
    // A blocking read has nothing to flush, and QUIT would wait for its block time to end.
    for (const reader of this.blockingReaders.values()) reader.disconnect();
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }


  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private async ensureGroup(key: string, group: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.url, redisConnectionOptions);
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (channel: string, message: string) => {
        for (const listener of this.listeners.get(channel) ?? []) listener(message);
      });
    }
    return this.subscriber;
  }

  private blockingConnection(kind: 'group' | 'stream'): Redis {
    let reader = this.blockingReaders.get(kind);
    if (!reader) {
      reader = new Redis(this.url, redisConnectionOptions);
      reader.on('error', () => undefined);
      this.blockingReaders.set(kind, reader);
    }
    return reader;
  }
}

// Fail a command after a couple of reconnect attempts rather than queueing it for ever, so a
// Redis outage shows up as an error (and in /ready) instead of hung requests.
const redisConnectionOptions = { maxRetriesPerRequest: 2, connectTimeout: 2_000 } as const;

function entriesOf(reply: RawStreamReply): StreamEntry[] {
  if (!reply) return [];
  return reply.flatMap(([, entries]) =>
    entries.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let index = 0; index + 1 < flat.length; index += 2) fields[flat[index] as string] = flat[index + 1] as string;
      return { id, fields };
    }),
  );
}
