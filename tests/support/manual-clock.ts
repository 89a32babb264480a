import type { Clock } from '@lift/kit';

/** The instant suites start at unless they say otherwise: fixed, so a run is the same every day. */
export const testEpoch = Date.parse('2026-11-28T09:00:00Z');

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(iso: string): void;
}

/**
 * A clock that only moves when the test says so: fake time instead of sleeps (CONTRIBUTING.md, Tests).
 * Start it at `Date.now()` where something outside the app reads the wall clock too (tokens the
 * test signs now, Redis stream ids).
 */
export function manualClock(start = testEpoch): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => void (now += ms),
    set: (iso) => void (now = Date.parse(iso)),
  };
}
