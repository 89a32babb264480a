import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../src/embedding/retry-after.js';

describe('reading Retry-After', () => {
  const now = Date.parse('2026-11-28T09:00:00Z');

  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs(['2', '9'], now)).toBe(2_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});
