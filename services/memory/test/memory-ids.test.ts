import { describe, expect, it } from 'vitest';
import { newMemoryIds } from '../src/memory-id.js';

describe('new memory ids', () => {
  it('are distinct UUIDv7s led by the creation time, so later batches sort after earlier ones', () => {
    const first = newMemoryIds(500, Date.UTC(2026, 0, 1));
    const later = newMemoryIds(3, Date.UTC(2026, 0, 1) + 1);
    expect(new Set(first).size).toBe(500);
    for (const id of [...first, ...later]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first[0]?.slice(0, 13)).toBe('019b76da-a800');
    expect([...first].sort().at(-1)! < [...later].sort()[0]!).toBe(true);
  });
});
