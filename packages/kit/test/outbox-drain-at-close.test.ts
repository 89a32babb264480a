import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, openEventPublisher, openLocalOutbox, openSharedState, systemClock, type EventRecord, type SharedState } from '../src/index.js';
import { capturingLogger, closeWhenDone } from './helper.js';

// Regression: close() stopped the relay without trying to deliver what the outbox held, so a
// replaced pod (its data directory an emptyDir) lost the events buffered while the consumer was away.

const silent = createLogger({ service: 'test', version: '0', level: 'silent' });

function scratchFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'lift-outbox-drain-')), 'outbox.db');
}

async function inProcessState(): Promise<SharedState> {
  const state = await openSharedState({ REDIS_KEY_PREFIX: 'unused:' }, systemClock);
  closeWhenDone(() => state.close());
  return state;
}

/** A consumer that refuses `refusals` deliveries, then stores what it gets; it counts every attempt. */
function consumer(refusals: number) {
  const received: EventRecord[] = [];
  const recorder = {
    refusals,
    attempts: 0,
    received,
    deliver: async (batches: readonly string[]): Promise<void> => {
      recorder.attempts += 1;
      if (recorder.refusals > 0) {
        recorder.refusals -= 1;
        throw new Error('consumer restarting');
      }
      for (const batch of batches) received.push(...(JSON.parse(batch) as EventRecord[]));
    },
  };
  return recorder;
}

async function batchesIn(file: string): Promise<number> {
  const outbox = await openLocalOutbox(file);
  try {
    return outbox.size();
  } finally {
    await outbox.close();
  }
}

describe('the outbox is drained at close', () => {
  it('delivers, before close resolves, events written just before it while the consumer was briefly down', async () => {
    const file = scratchFile();
    const inbox = consumer(Number.POSITIVE_INFINITY);
    const publisher = await openEventPublisher({ state: await inProcessState(), stream: 'usage', outboxFile: file, log: silent, flushIntervalMs: 5, deliver: inbox.deliver, closeDrainMs: 5_000 });
    publisher.publish({ id: 'early' });
    await expect.poll(() => inbox.attempts).toBeGreaterThan(0);
    // The relay is in its backoff now; this one is still in the publisher's memory at close.
    publisher.publish({ id: 'last' });
    // The consumer comes back after two more refusals, as a restarting one does.
    inbox.refusals = 2;

    await publisher.close();

    expect(inbox.received.map((event) => event.id)).toEqual(['early', 'last']);
    expect(await batchesIn(file)).toBe(0);
  });

  it('ends within the bound while the consumer is down, logs what is left, and a restart on the same file delivers it', async () => {
    const file = scratchFile();
    const captured = capturingLogger('test', 'warn');
    const down = consumer(Number.POSITIVE_INFINITY);
    const publisher = await openEventPublisher({ state: await inProcessState(), stream: 'usage', outboxFile: file, log: captured.log, flushIntervalMs: 5, deliver: down.deliver, closeDrainMs: 600 });
    publisher.publish({ id: 'a' });
    await expect.poll(() => down.attempts).toBeGreaterThan(0);
    publisher.publish({ id: 'b' });

    const attemptsBefore = down.attempts;
    const started = performance.now();
    await publisher.close();
    const tookMs = performance.now() - started;

    expect(tookMs).toBeGreaterThanOrEqual(550);
    expect(tookMs).toBeLessThan(600 + 500);
    // Promptly, not at the relay's backoff (whose next wait here would be 400 ms or more).
    expect(down.attempts - attemptsBefore).toBeGreaterThanOrEqual(4);
    const warning = captured.lines.find((line) => line.batches !== undefined);
    expect(warning).toMatchObject({ level: 'warn', batches: 2, outboxFile: file });
    expect(String(warning?.msg)).toContain('delivered at the next start');
    expect(await batchesIn(file)).toBe(2);

    const up = consumer(0);
    const restarted = await openEventPublisher({ state: await inProcessState(), stream: 'usage', outboxFile: file, log: silent, flushIntervalMs: 5, deliver: up.deliver });
    closeWhenDone(() => restarted.close());
    await restarted.delivered();
    expect(up.received.map((event) => event.id)).toEqual(['a', 'b']);
    expect(await batchesIn(file)).toBe(0);
  });

  it('ends within the bound when a delivery hangs, keeping its batch for the next start', async () => {
    const file = scratchFile();
    let deliveries = 0;
    const publisher = await openEventPublisher({
      state: await inProcessState(),
      stream: 'usage',
      outboxFile: file,
      log: silent,
      flushIntervalMs: 5,
      closeDrainMs: 300,
      deliver: () => {
        deliveries += 1;
        return new Promise<void>(() => undefined);
      },
    });
    publisher.publish({ id: 'stuck' });
    await expect.poll(() => deliveries).toBe(1);

    const started = performance.now();
    await publisher.close();
    expect(performance.now() - started).toBeLessThan(300 + 500);
    expect(await batchesIn(file)).toBe(1);
  });
});
