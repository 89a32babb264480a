import { describe, expect, it } from 'vitest';
import { InProcessState } from '../src/index.js';
import { manualClock } from './helper.js';

describe('in-process shared state with a manual clock', () => {
  it('expires counters and values exactly at the end of their window', async () => {
    const clock = manualClock();
    const state = new InProcessState(clock);
    await state.increment('window', 1, 1_000);
    await state.set('token', 'x', { ttlMs: 500 });
    clock.advance(499);
    expect(await state.get('token')).toBe('x');
    expect((await state.increment('window', 1, 1_000)).ttlMs).toBe(501);
    clock.advance(1);
    expect(await state.get('token')).toBeUndefined();
    clock.advance(500);
    expect(await state.increment('window', 1, 1_000)).toEqual({ value: 1, ttlMs: 1_000 });
  });

  it('keeps stream ids increasing when the clock stands still', async () => {
    const state = new InProcessState(manualClock());
    const first = await state.appendToStream('s', { n: '1' });
    const second = await state.appendToStream('s', { n: '2' });
    expect(first.split('-')[0]).toBe(second.split('-')[0]);
    expect(Number(second.split('-')[1])).toBe(Number(first.split('-')[1]) + 1);
  });
});
