import { describe, expect, it } from 'vitest';
import { sharedStateImplementations } from './shared-state-implementations.js';
import { createLease } from '../src/index.js';

const implementations = sharedStateImplementations('leases');

for (const implementation of implementations) {
  describe.skipIf(!implementation.enabled)(`leases: ${implementation.name}`, () => {
    it('replaces and deletes a value only while it holds the expected one', async () => {
      const state = await implementation.open();
      expect(await state.replaceIfEquals('key', 'one', 'two')).toBe(false);
      expect(await state.get('key')).toBeUndefined();
      await state.set('key', 'one');
      expect(await state.replaceIfEquals('key', 'other', 'two')).toBe(false);
      expect(await state.get('key')).toBe('one');
      expect(await state.replaceIfEquals('key', 'one', 'two', { ttlMs: 60_000 })).toBe(true);
      expect(await state.get('key')).toBe('two');
      expect(await state.deleteIfEquals('key', 'one')).toBe(false);
      expect(await state.get('key')).toBe('two');
      expect(await state.deleteIfEquals('key', 'two')).toBe(true);
      expect(await state.get('key')).toBeUndefined();
    });

    it('gives a renewed value a new expiry', async () => {
      const state = await implementation.open();
      await state.set('short', 'mine', { ttlMs: 60_000 });
      expect(await state.replaceIfEquals('short', 'mine', 'mine', { ttlMs: 30 })).toBe(true);
      await expect.poll(() => state.get('short'), { interval: 10, timeout: 2_000 }).toBeUndefined();
    });

    it('has one holder at a time, renewed by its holder only, and free once released', async () => {
      const state = await implementation.open();
      const first = createLease({ state, key: 'prober', ttlMs: 60_000, holder: 'replica-1' });
      const second = createLease({ state, key: 'prober', ttlMs: 60_000, holder: 'replica-2' });
      const attempts = await Promise.all([first.acquireOrRenew(), second.acquireOrRenew()]);
      expect(attempts).toEqual([true, false]);
      expect(await first.acquireOrRenew()).toBe(true);
      expect(await second.acquireOrRenew()).toBe(false);
      expect(await second.currentHolder()).toBe('replica-1');
      await second.release();
      expect(await first.currentHolder()).toBe('replica-1');
      await first.release();
      expect(await first.currentHolder()).toBeUndefined();
      expect(await second.acquireOrRenew()).toBe(true);
    });

    it('is taken over once its holder stops renewing, and the old holder cannot take it back', async () => {
      const state = await implementation.open();
      const dying = createLease({ state, key: 'evaluator', ttlMs: 40, holder: 'replica-1' });
      const standby = createLease({ state, key: 'evaluator', ttlMs: 60_000, holder: 'replica-2' });
      expect(await dying.acquireOrRenew()).toBe(true);
      expect(await standby.acquireOrRenew()).toBe(false);
      await expect.poll(() => standby.acquireOrRenew(), { interval: 10, timeout: 2_000 }).toBe(true);
      expect(await dying.acquireOrRenew()).toBe(false);
      expect(await standby.currentHolder()).toBe('replica-2');
    });

    it('lets exactly one of many replicas take a free lease', async () => {
      const state = await implementation.open();
      const replicas = Array.from({ length: 8 }, (_, index) => createLease({ state, key: 'contended', ttlMs: 60_000, holder: `replica-${index}` }));
      const taken = await Promise.all(replicas.map((lease) => lease.acquireOrRenew()));
      expect(taken.filter(Boolean)).toHaveLength(1);
    });
  });
}
