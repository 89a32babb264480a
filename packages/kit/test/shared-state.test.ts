import { describe, expect, it } from 'vitest';
import { sharedStateImplementations } from './shared-state-implementations.js';

const implementations = sharedStateImplementations('shared state');

for (const implementation of implementations) {
  describe.skipIf(!implementation.enabled)(`shared state: ${implementation.name}`, () => {
    it('counts within a window that starts with the first increment', async () => {
      const state = await implementation.open();
      expect(await state.increment('hits', 1, 60_000)).toMatchObject({ value: 1 });
      const second = await state.increment('hits', 4, 60_000);
      expect(second.value).toBe(5);
      expect(second.ttlMs).toBeGreaterThan(55_000);
      expect(second.ttlMs).toBeLessThanOrEqual(60_000);
      expect(await state.get('hits')).toBe('5');
    });

    it('counts one key and reads another in one step, the window starting with the first count', async () => {
      const state = await implementation.open();
      expect(await state.incrementAndRead('{w}:2', 1, 60_000, '{w}:1')).toEqual({ counter: { value: 1, ttlMs: 60_000 }, read: undefined });
      await state.increment('{w}:1', 7, 60_000);
      const second = await state.incrementAndRead('{w}:2', 2, 60_000, '{w}:1');
      expect(second.counter.value).toBe(3);
      expect(second.counter.ttlMs).toBeGreaterThan(55_000);
      expect(second.counter.ttlMs).toBeLessThanOrEqual(60_000);
      expect(second.read).toBe('7');
      expect(await state.get('{w}:2')).toBe('3');
    });

    it('forgets a counter when its window ends', async () => {
      const state = await implementation.open();
      await state.increment('short', 1, 30);
      await expect.poll(() => state.get('short'), { interval: 10, timeout: 2_000 }).toBeUndefined();
      expect((await state.increment('short', 1, 60_000)).value).toBe(1);
    });

    it('stores values, with expiry and set-if-absent', async () => {
      const state = await implementation.open();
      expect(await state.set('key', 'one')).toBe(true);
      expect(await state.set('key', 'two', { onlyIfAbsent: true })).toBe(false);
      expect(await state.get('key')).toBe('one');
      expect(await state.delete('key')).toBe(true);
      expect(await state.delete('key')).toBe(false);
      expect(await state.get('key')).toBeUndefined();
      expect(await state.set('lease', 'mine', { onlyIfAbsent: true, ttlMs: 30 })).toBe(true);
      await expect.poll(() => state.get('lease'), { interval: 10, timeout: 2_000 }).toBeUndefined();
    });

    it('delivers published messages to subscribers until they unsubscribe', async () => {
      const state = await implementation.open();
      const received: string[] = [];
      const unsubscribe = await state.subscribe('module-changes', (message) => received.push(message));
      await state.publish('module-changes', 'first');
      await expect.poll(() => received).toEqual(['first']);
      await unsubscribe();
      await state.publish('module-changes', 'second');
      await state.publish('other-channel', 'x');
      await state.ping();
      expect(received).toEqual(['first']);
    });

    it('delivers stream entries to each consumer group once, in order, until acknowledged', async () => {
      const state = await implementation.open();
      const ids = [
        await state.appendToStream('usage', { id: 'e1', type: 'api_call' }),
        await state.appendToStream('usage', { id: 'e2', type: 'api_call' }),
      ];
      const billing = await state.readGroup('usage', 'billing', 'billing-1');
      expect(billing.map((entry) => entry.fields.id)).toEqual(['e1', 'e2']);
      expect(billing.map((entry) => entry.id)).toEqual(ids);
      expect(await state.readGroup('usage', 'billing', 'billing-2')).toEqual([]);
      // Another group reads the same stream independently.
      expect((await state.readGroup('usage', 'observability', 'obs-1')).map((entry) => entry.fields.id)).toEqual(['e1', 'e2']);

      // A consumer that crashed before acknowledging finds its entries again.
      expect(await state.acknowledge('usage', 'billing', [ids[0] as string])).toBe(1);
      expect((await state.readPending('usage', 'billing', 'billing-1')).map((entry) => entry.fields.id)).toEqual(['e2']);
      expect(await state.acknowledge('usage', 'billing', [ids[1] as string])).toBe(1);
      expect(await state.readPending('usage', 'billing', 'billing-1')).toEqual([]);
    });

    it('lets another consumer take over entries a dead consumer held, only once they are stale', async () => {
      const state = await implementation.open();
      await state.appendToStream('usage', { id: 'held' });
      await state.readGroup('usage', 'billing', 'billing-dead');
      expect(await state.claimStale('usage', 'billing', 'billing-live', 60_000)).toEqual([]);
      expect((await state.claimStale('usage', 'billing', 'billing-live', 0)).map((entry) => entry.fields.id)).toEqual(['held']);
      expect((await state.readPending('usage', 'billing', 'billing-live')).map((entry) => entry.fields.id)).toEqual(['held']);
      expect(await state.readPending('usage', 'billing', 'billing-dead')).toEqual([]);
    });

    it('wakes a blocked reader when an entry arrives', async () => {
      const state = await implementation.open();
      await state.readGroup('events', 'gateway', 'gw-1');
      const reading = state.readGroup('events', 'gateway', 'gw-1', { blockMs: 5_000 });
      await state.appendToStream('events', { id: 'late' });
      const entries = await reading;
      expect(entries.map((entry) => entry.fields.id)).toEqual(['late']);
    });

    it('gives every stream reader every entry after where it started (a broadcast), in order', async () => {
      const state = await implementation.open();
      expect(await state.lastStreamId('revocations')).toBe('0-0');
      await state.appendToStream('revocations', { key: 'before' });
      const start = await state.lastStreamId('revocations');
      await state.appendToStream('revocations', { key: 'a' });
      await state.appendToStream('revocations', { key: 'b' });
      for (const _reader of [1, 2]) {
        const entries = await state.readStream('revocations', start);
        expect(entries.map((entry) => entry.fields.key)).toEqual(['a', 'b']);
        expect(await state.readStream('revocations', entries.at(-1)?.id as string)).toEqual([]);
      }
      const waiting = state.readStream('revocations', await state.lastStreamId('revocations'), { blockMs: 5_000 });
      await state.appendToStream('revocations', { key: 'late' });
      expect((await waiting).map((entry) => entry.fields.key)).toEqual(['late']);
    });

    it('returns nothing after the block time when nothing arrives', async () => {
      const state = await implementation.open();
      expect(await state.readGroup('quiet', 'gateway', 'gw-1', { blockMs: 20 })).toEqual([]);
    });
  });
}
