import type { Clock } from '@lift/kit';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses before it lets one probe through. */
  readonly cooldownMs: number;
}

/**
 * One upstream's circuit, as Envoy's outlier detection and resilience4j do it: after
 * `failureThreshold` consecutive failures requests are refused at once (no connection attempt,
 * no waiting for a timeout) for `cooldownMs`; then exactly one probe request goes through
 * (half-open). Its success closes the circuit, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private circuit: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly clock: Clock,
    private readonly onChange: (state: CircuitState) => void = () => undefined,
  ) {}

  get state(): CircuitState {
    return this.circuit;
  }

  /** Whether a request may go to the upstream now; in half-open, only the one probe may. */
  tryAcquire(): boolean {
    if (this.circuit === 'closed') return true;
    if (this.circuit === 'open') {
      if (this.clock.now() - this.openedAt < this.settings.cooldownMs) return false;
      this.transition('half-open');
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryAfterMs(): number {
    return Math.max(0, this.settings.cooldownMs - (this.clock.now() - this.openedAt));
  }

  /**
   * The request ended without telling anything about the upstream (its client went away): a
   * half-open circuit's probe slot is free again, and nothing else changes.
   */
  release(): void {
    this.probeInFlight = false;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
    if (this.circuit !== 'closed') this.transition('closed');
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    const probeFailed = this.circuit === 'half-open';
    this.probeInFlight = false;
    if (probeFailed || (this.circuit === 'closed' && this.consecutiveFailures >= this.settings.failureThreshold)) {
      this.openedAt = this.clock.now();
      this.transition('open');
    }
  }

  private transition(state: CircuitState): void {
    this.circuit = state;
    this.onChange(state);
  }
}
