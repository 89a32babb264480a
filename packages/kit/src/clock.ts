/** Time as a dependency, so tests move it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The clock's now as the ISO-8601 UTC text every table and answer stores times in. */
export function nowIso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
