import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createEventPublisher,
  createHttpClient,
  createLogger,
  httpEventDelivery,
  openEventPublisher,
  openLocalOutbox,
  openSharedState,
  startOutboxRelay,
  startStreamConsumer,
  systemClock,
  type EventRecord,
  type EventSink,
  type SharedState,
} from '../src/index.js';
import { testRedisUrl, uniqueName } from './backing-services.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { closeWhenDone, startRecordingServer } from './helper.js';

const log = createLogger({ service: 'test', version: '0', level: 'silent' });

function scratchFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'lift-events-')), name);
}

/** A publisher on the usage stream with a fresh outbox, flushing every 5 ms; closed after the test. */
async function usagePublisher(state: SharedState, deliver: Parameters<typeof openEventPublisher>[0]['deliver']) {
  const publisher = await openEventPublisher({ state, stream: 'usage', outboxFile: scratchFile('outbox.db'), log, flushIntervalMs: 5, deliver });
  closeWhenDone(() => publisher.close());
  return publisher;
}

/** A sink that fails while `failing` is set, as a store that is down does. */
function flakySink() {
  const written: EventRecord[][] = [];
  const sink: EventSink & { failing: boolean; written: EventRecord[][] } = {
    kind: 'stream',
    failing: false,
    written,
    write: async (events) => {
      if (sink.failing) throw new Error('store down');
      written.push([...events]);
    },
    close: async () => undefined,
  };
  return sink;
}

describe('event publisher', () => {
  it('writes events in batches, in order, without the caller waiting', async () => {
    const sink = flakySink();
    const publisher = createEventPublisher({ sink, log, flushIntervalMs: 5, maxBatch: 3 });
    for (let index = 0; index < 7; index += 1) publisher.publish({ n: index });
    expect(sink.written).toEqual([]);
    await publisher.flush();
    expect(sink.written.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(sink.written.flat().map((event) => event.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps the events while the sink fails and writes them once it works again', async () => {
    const sink = flakySink();
    const publisher = createEventPublisher({ sink, log, flushIntervalMs: 5 });
    sink.failing = true;
    publisher.publish({ n: 1 });
    await expect(publisher.flush()).rejects.toThrow('store down');
    publisher.publish({ n: 2 });
    expect(publisher.backlog).toBe(2);
    sink.failing = false;
    await expect.poll(() => sink.written.flat().map((event) => event.n), { timeout: 3_000 }).toEqual([1, 2]);
    expect(publisher.backlog).toBe(0);
  });

  it('drops the oldest events, counting them, when the backlog is full', async () => {
    const sink = flakySink();
    sink.failing = true;
    const publisher = createEventPublisher({ sink, log, maxBacklog: 2, flushIntervalMs: 60_000 });
    publisher.publish({ n: 1 });
    publisher.publish({ n: 2 });
    publisher.publish({ n: 3 });
    expect(publisher.dropped).toBe(1);
    sink.failing = false;
    await publisher.flush();
    expect(sink.written.flat().map((event) => event.n)).toEqual([2, 3]);
  });
});

describe('local outbox and its relay', () => {
  it('keeps batches across a reopen until they are delivered', async () => {
    const file = scratchFile('outbox.db');
    const first = await openLocalOutbox(file);
    await first.write([{ id: 'a' }, { id: 'b' }]);
    await first.write([{ id: 'c' }]);
    await first.close();

    const reopened = await openLocalOutbox(file);
    closeWhenDone(() => reopened.close());
    expect(reopened.oldest(10).map((batch) => JSON.parse(batch.json) as unknown)).toEqual([[{ id: 'a' }, { id: 'b' }], [{ id: 'c' }]]);
    reopened.remove([reopened.oldest(1)[0]?.id ?? -1]);
    expect(reopened.oldest(10).map((batch) => JSON.parse(batch.json) as unknown)).toEqual([[{ id: 'c' }]]);
  });

  it('retries a consumer that is down and deletes batches only once it took them', async () => {
    const outbox = await openLocalOutbox(scratchFile('outbox.db'));
    closeWhenDone(() => outbox.close());
    const delivered: EventRecord[] = [];
    let consumerUp = false;
    let attempts = 0;
    const relay = startOutboxRelay({
      outbox,
      log,
      maxBackoffMs: 20,
      deliver: async (events) => {
        attempts += 1;
        if (!consumerUp) throw new Error('consumer restarting');
        for (const batch of events) delivered.push(...(JSON.parse(batch) as EventRecord[]));
      },
    });
    closeWhenDone(async () => relay.stop());
    await outbox.write([{ id: 'e1' }]);
    await outbox.write([{ id: 'e2' }]);
    await expect.poll(() => attempts, { timeout: 3_000 }).toBeGreaterThan(2);
    expect(outbox.size()).toBe(2);
    consumerUp = true;
    await relay.drained();
    expect(delivered.map((event) => event.id)).toEqual(['e1', 'e2']);
    expect(outbox.size()).toBe(0);
  });

  it('lets the outbox close while a delivery is in flight; the batch waits for the next start', async () => {
    const file = scratchFile('outbox.db');
    const outbox = await openLocalOutbox(file);
    let finishDelivery: () => void = () => undefined;
    let deliveries = 0;
    const relay = startOutboxRelay({
      outbox,
      log,
      deliver: () => {
        deliveries += 1;
        return new Promise<void>((resolve) => (finishDelivery = resolve));
      },
    });
    await outbox.write([{ id: 'slow' }]);
    await expect.poll(() => deliveries).toBe(1);
    await relay.stop(20);
    await outbox.close();
    // The consumer answers after the shutdown: nothing may touch the closed outbox.
    const unhandled: unknown[] = [];
    const recordUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', recordUnhandled);
    closeWhenDone(async () => void process.off('unhandledRejection', recordUnhandled));
    finishDelivery();
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    const reopened = await openLocalOutbox(file);
    closeWhenDone(() => reopened.close());
    expect(reopened.oldest(10).map((batch) => JSON.parse(batch.json) as unknown)).toEqual([[{ id: 'slow' }]]);
  });

  it('delivers over HTTP to the consumer inbox as the service, through openEventPublisher', async () => {
    const inbox = await startRecordingServer();
    const http = createHttpClient({ service: 'test', version: '0' });
    closeWhenDone(() => http.close());
    const state = await openSharedState({ REDIS_KEY_PREFIX: 'unused:' }, systemClock);
    const publisher = await usagePublisher(state, httpEventDelivery({ http, url: `${inbox.url}/v1/events/usage`, tokens: { token: async () => 'service-token', refused: () => undefined } }));
    expect(publisher.transport).toBe('local-outbox');
    publisher.publish({ id: 'u1' });
    publisher.publish({ id: 'u2' });
    await publisher.delivered();
    expect(inbox.received).toHaveLength(1);
    expect(inbox.received[0]?.headers.authorization).toBe('Bearer service-token');
    expect(JSON.parse(inbox.received[0]?.body ?? '')).toEqual({ events: [{ id: 'u1' }, { id: 'u2' }] });
  });
});

describe('event stream while Redis is down', () => {
  it('puts batches in the local outbox, which delivers them over HTTP', async () => {
    // Nothing listens on port 1: every Redis command fails, as in an outage.
    const state = await openSharedState({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'outage:' }, systemClock);
    closeWhenDone(() => state.close());
    const delivered: EventRecord[] = [];
    const publisher = await usagePublisher(state, async (batches) => void delivered.push(...batches.flatMap((batch) => JSON.parse(batch) as EventRecord[])));
    expect(publisher.transport).toBe('redis-stream');
    publisher.publish({ id: 'during-outage' });
    await publisher.delivered();
    expect(delivered.map((event) => event.id)).toEqual(['during-outage']);
  });
});

describe.skipIf(skipUnless(testRedisUrl !== undefined, 'event stream on Redis', 'TEST_REDIS_URL'))('event stream on Redis', () => {
  async function redisState(prefix: string): Promise<SharedState> {
    const state = await openSharedState({ REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: prefix }, systemClock);
    closeWhenDone(() => state.close());
    return state;
  }

  it('reaches a consumer group at least once, and a restarted consumer redoes what it had not acknowledged', async () => {
    const prefix = `${uniqueName('lift-test')}:`;
    const producerState = await redisState(prefix);
    const publisher = await usagePublisher(producerState, async () => undefined);
    expect(publisher.transport).toBe('redis-stream');
    publisher.publish({ id: 'r1' });
    publisher.publish({ id: 'r2' });
    await publisher.delivered();

    // The first consumer fails after receiving the batch, as a crash would; nothing is acknowledged.
    const crashingState = await redisState(prefix);
    let attempts = 0;
    const crashing = startStreamConsumer({
      state: crashingState, stream: 'usage', group: 'billing', consumer: 'billing-host', log, clock: systemClock, blockMs: 50,
      handle: async () => {
        attempts += 1;
        throw new Error('crash before storing');
      },
    });
    await expect.poll(() => attempts, { timeout: 3_000 }).toBeGreaterThan(0);
    await crashing.stop();

    const stored: EventRecord[] = [];
    const restarted = startStreamConsumer({ state: await redisState(prefix), stream: 'usage', group: 'billing', consumer: 'billing-host', log, clock: systemClock, blockMs: 50, handle: async (events) => void stored.push(...events) });
    closeWhenDone(() => restarted.stop());
    await expect.poll(() => stored.map((event) => event.id), { timeout: 3_000 }).toEqual(['r1', 'r2']);
    publisher.publish({ id: 'r3' });
    await expect.poll(() => stored.map((event) => event.id), { timeout: 3_000 }).toEqual(['r1', 'r2', 'r3']);
  });
});
