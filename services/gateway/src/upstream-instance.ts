import type { Pool } from 'undici';

/**
 * One process of a service (or a module's origin): its own keep-alive pool and what the balancer
 * and outlier detection know of it. Mutable on purpose: picking reads these fields on every
 * request, with no allocation.
 */
export class UpstreamInstance {
  /** Requests sent to it that have not had their answer's headers yet. */
  outstanding = 0;
  /** Requests in a row that got no answer (connection failure, reset, timeout). */
  consecutiveFailures = 0;
  /** Answers in a row that were 502, 503 or 504. */
  consecutiveGatewayErrors = 0;
  /** Ejected by outlier detection: no new requests until `ejectedUntil` has passed and a probe of /ready answered 200. */
  ejected = false;
  ejectedUntil = 0;
  /** Ejections in a row (without a quiet period between them): the next one lasts this many times longer. */
  ejections = 0;
  returnedAt = 0;
  /** The last probe of its /ready: a 503 (draining, starting) or no answer makes it unready; new requests go elsewhere. */
  ready = true;
  /** Per-outcome request counters of this instance, made on first use (only for services of several instances). */
  readonly outcomeCounters = new Map<string, { inc(): void }>();

  /** `label` is what metrics and logs call it: host and port, never credentials. */
  constructor(
    readonly origin: string,
    readonly label: string,
    readonly pool: Pool,
  ) {}

  /** Whether it gets new requests while any instance does. */
  get available(): boolean {
    return this.ready && !this.ejected;
  }
}
