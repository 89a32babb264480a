import type { SharedState } from '../state/shared-state.js';

/**
 * A lease in the shared state: at most one holder at a time, for `ttlMs` after its last renewal.
 * Work that must run on one replica only (a prober, a rule evaluator) asks `acquireOrRenew()`
 * before each round and does the round only when it holds the lease; a holder that dies stops
 * renewing, and another replica takes the lease once it has expired.
 */
export interface Lease {
  /** Who this replica is in the lease's value (random per lease object unless given). */
  readonly holder: string;
  /**
   * Takes the lease when it is free, or renews it when this replica holds it (compare-and-set,
   * so a holder whose lease expired and was taken in between does not take it back).
   */
  acquireOrRenew(): Promise<boolean>;
  /** Gives the lease up when this replica holds it (at shutdown), so another takes over at once. */
  release(): Promise<void>;
  /** The current holder, or undefined when the lease is free. */
  currentHolder(): Promise<string | undefined>;
}

export interface LeaseOptions {
  readonly state: SharedState;
  readonly key: string;
  /** How long the lease lasts after each renewal: longer than the time between renewals. */
  readonly ttlMs: number;
  readonly holder: string;
}

export function createLease(options: LeaseOptions): Lease {
  const { state, key, ttlMs, holder } = options;
  return {
    holder,
    acquireOrRenew: async () => (await state.set(key, holder, { onlyIfAbsent: true, ttlMs })) || state.replaceIfEquals(key, holder, holder, { ttlMs }),
    release: async () => void (await state.deleteIfEquals(key, holder)),
    currentHolder: () => state.get(key),
  };
}
