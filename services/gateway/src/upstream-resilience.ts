import type { Clock } from '@lift/kit';
import { CircuitBreaker, type CircuitBreakerSettings } from './circuit-breaker.js';
import { RetryBudget } from './retry-budget.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

export interface ResilienceSettings {
  readonly breaker: CircuitBreakerSettings;
  /** Retries of one request after a connection failure (idempotent requests without a body only). */
  readonly maxRetries: number;
  /** Retries allowed as a share of requests, per upstream. */
  readonly retryRatio: number;
}

/** One circuit and one retry budget per upstream (core service or module), made on first use. */
export class UpstreamResilience {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly budgets = new Map<string, RetryBudget>();

  constructor(
    readonly settings: ResilienceSettings,
    private readonly clock: Clock,
    readonly metrics: UpstreamMetrics,
  ) {}

  breakerFor(upstream: string): CircuitBreaker {
    let breaker = this.breakers.get(upstream);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.settings.breaker, this.clock, (state) => this.metrics.circuit(upstream, state));
      this.breakers.set(upstream, breaker);
    }
    return breaker;
  }

  budgetFor(upstream: string): RetryBudget {
    let budget = this.budgets.get(upstream);
    if (budget === undefined) {
      budget = new RetryBudget(this.settings.retryRatio, 100);
      this.budgets.set(upstream, budget);
    }
    return budget;
  }
}
