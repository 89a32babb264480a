import { describe, expect, it } from 'vitest';
import { keysPerMs, TimeKeyedIds } from '../src/logs/log-ids.js';

describe('time-keyed log ids (SQLite)', () => {
  it('orders keys by time, counts lines within a millisecond, and lets a crowded millisecond take the next one\'s keys', async () => {
    const ids = new TimeKeyedIds(0);
    const never = async () => {
      throw new Error('slots above every stored key are known without the database');
    };
    expect(await ids.allocate(1_000, never)).toBe(1_000 * keysPerMs);
    expect(await ids.allocate(1_000, never)).toBe(1_000 * keysPerMs + 1);
    expect(await ids.allocate(999, never)).toBe(999 * keysPerMs);
    const crowded = [];
    for (let index = 0; index < keysPerMs + 3; index += 1) crowded.push(await ids.allocate(5_000, never));
    expect(new Set(crowded).size).toBe(keysPerMs + 3);
    expect(crowded.at(-1)).toBe(5_001 * keysPerMs + 2);
    expect(await ids.allocate(5_001, never)).toBe(5_001 * keysPerMs + 3);
  });

  it('asks the database for the slots of lines older than what was stored before it started', async () => {
    const stored = 2_000 * keysPerMs + 7;
    const ids = new TimeKeyedIds(stored);
    const asked: number[] = [];
    const highest = async (slot: number) => {
      asked.push(slot);
      return slot === 1_500 ? 1_500 * keysPerMs + 4 : undefined;
    };
    expect(await ids.allocate(1_500, highest)).toBe(1_500 * keysPerMs + 5);
    expect(await ids.allocate(1_500, highest)).toBe(1_500 * keysPerMs + 6);
    expect(await ids.allocate(1_200, highest)).toBe(1_200 * keysPerMs);
    // The slot of the highest stored key: above it, free.
    expect(await ids.allocate(2_000, highest)).toBe(stored + 1);
    expect(asked).toEqual([1_500, 1_200]);
  });
});
