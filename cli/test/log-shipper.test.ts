import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryAfterMs } from '../src/log-sender.js';
import { LogLineBuffer, LogShipper, type ShipResult } from '../src/log-shipper.js';

describe('the log line buffer', () => {
  it('holds at most its capacity, dropping and counting the oldest lines', () => {
    const buffer = new LogLineBuffer(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) buffer.push(line);
    expect(buffer.length).toBe(3);
    expect(buffer.dropped).toBe(2);
    expect(buffer.take(10, 1_000)).toEqual(['c', 'd', 'e']);
  });

  it('takes batches by count and by bytes, always at least one line', () => {
    const buffer = new LogLineBuffer(10);
    for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd']) buffer.push(line);
    expect(buffer.take(3, 1_000)).toEqual(['aaaa', 'bbbb', 'cccc']);
    buffer.push('eeee');
    expect(buffer.take(10, 6)).toEqual(['dddd']);
    expect(buffer.take(10, 1)).toEqual(['eeee']);
  });

  it('puts an undelivered batch back in front, dropping its oldest lines when new ones took the room', () => {
    const buffer = new LogLineBuffer(4);
    for (const line of ['1', '2', '3']) buffer.push(line);
    const batch = buffer.take(3, 1_000);
    for (const line of ['4', '5']) buffer.push(line);
    buffer.putBack(batch);
    expect(buffer.dropped).toBe(1);
    expect(buffer.take(10, 1_000)).toEqual(['2', '3', '4', '5']);
  });
});

describe('the log shipper', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A stand-in for observability's POST /v1/logs: answers what the test lines up, records what it got. */
  function standIn() {
    const batches: string[][] = [];
    const answers: ShipResult[] = [];
    let hold: Promise<void> | undefined;
    return {
      batches,
      answers,
      holdUntil(release: Promise<void>) {
        hold = release;
      },
      send: async (lines: readonly string[]): Promise<ShipResult> => {
        batches.push([...lines]);
        if (hold) await hold;
        return answers.shift() ?? { kind: 'accepted', rejected: 0 };
      },
    };
  }

  it('sends a batch when it is full, and a partial one after the flush interval', async () => {
    const observability = standIn();
    const shipper = new LogShipper({ send: observability.send, batchLines: 3, flushAfterMs: 1_000 });
    for (const line of ['1', '2', '3', '4']) shipper.push(line);
    await vi.advanceTimersByTimeAsync(0);
    expect(observability.batches).toEqual([['1', '2', '3']]);
    await vi.advanceTimersByTimeAsync(999);
    expect(observability.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(observability.batches).toEqual([['1', '2', '3'], ['4']]);
    expect(shipper.stats()).toEqual({ queued: 0, shipped: 4, dropped: 0, rejected: 0 });
  });

  it('never blocks the producer: pushing while observability hangs returns at once, and the oldest lines are dropped and counted', async () => {
    const observability = standIn();
    let release = (): void => undefined;
    observability.holdUntil(new Promise<void>((resolve) => (release = resolve)));
    const shipper = new LogShipper({ send: observability.send, capacity: 100, batchLines: 10 });
    for (let index = 0; index < 10; index += 1) shipper.push(`early ${index}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(observability.batches).toHaveLength(1);
    const started = performance.now();
    for (let index = 0; index < 10_000; index += 1) shipper.push(`line ${index}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(shipper.stats()).toMatchObject({ queued: 100, dropped: 9_900 });
    release();
    await vi.advanceTimersByTimeAsync(0);
    // What was kept is the newest: the last hundred lines.
    expect(observability.batches[1]?.[0]).toBe('line 9900');
  });

  it('keeps the lines on 429/503 and sends them again only after Retry-After', async () => {
    const observability = standIn();
    observability.answers.push({ kind: 'retry-after', delayMs: 5_000, reason: 'observability answered 503' });
    const shipper = new LogShipper({ send: observability.send, batchLines: 2 });
    shipper.push('a');
    shipper.push('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(shipper.stats()).toMatchObject({ queued: 2, shipped: 0, dropped: 0, lastError: 'observability answered 503' });
    // Even a full batch waiting does not cut the Retry-After short.
    shipper.push('c');
    shipper.push('d');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(observability.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(observability.batches[1]).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(0);
    expect(observability.batches[2]).toEqual(['c', 'd']);
    expect(shipper.stats()).toEqual({ queued: 0, shipped: 4, dropped: 0, rejected: 0 });
  });

  it('retries other failures with growing backoff, and counts lines observability named as bad', async () => {
    const observability = standIn();
    observability.answers.push({ kind: 'failed', reason: 'connection refused' }, { kind: 'failed', reason: 'connection refused' }, { kind: 'accepted', rejected: 1 });
    const shipper = new LogShipper({ send: observability.send, batchLines: 2, firstRetryMs: 100 });
    shipper.push('good');
    shipper.push('bad');
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(observability.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(observability.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(observability.batches).toHaveLength(3);
    expect(shipper.stats()).toEqual({ queued: 0, shipped: 1, dropped: 0, rejected: 1 });
  });

  it('halves a batch observability refuses as too large, and drops (counts) a single line it refuses', async () => {
    const observability = standIn();
    observability.answers.push({ kind: 'refused', reason: '413' }, { kind: 'accepted', rejected: 0 }, { kind: 'refused', reason: '413' });
    const shipper = new LogShipper({ send: observability.send, batchLines: 2, flushAfterMs: 10 });
    shipper.push('small');
    shipper.push('huge');
    await vi.advanceTimersByTimeAsync(100);
    expect(observability.batches).toEqual([['small', 'huge'], ['small'], ['huge']]);
    expect(shipper.stats()).toMatchObject({ queued: 0, shipped: 1, dropped: 1 });
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, bounded to a minute, 1 s when absent or unreadable', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5_000);
    expect(retryAfterMs('86400')).toBe(60_000);
    expect(retryAfterMs(null)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
  });
});
