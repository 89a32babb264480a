import { FastCounter, FastHistogram } from '@lift/kit';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker.js';

export interface UpstreamMetrics {
  /** Called once per forwarded request with how it ended: a status class or a failure code. */
  observe(upstream: string, outcome: string, seconds: number): void;
  retried(upstream: string): void;
  circuit(upstream: string, state: CircuitState): void;
}

const circuitValues: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Per-upstream series; the per-request ones are the kit's fast metrics, their children kept. */
export function upstreamMetrics(registry: Registry): UpstreamMetrics {
  const requests = new FastCounter('gateway_upstream_requests_total', 'Requests forwarded, by upstream and outcome (status class, or why it failed)', ['upstream', 'outcome'], registry);
  const duration = new FastHistogram('gateway_upstream_duration_seconds', 'Time from forwarding a request to the upstream\'s response headers', ['upstream'], [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registry);
  const retries = new Counter({ name: 'gateway_upstream_retries_total', help: 'Requests sent again after a connection failure', labelNames: ['upstream'] as const, registers: [registry] });
  const circuits = new Gauge({ name: 'gateway_upstream_circuit_state', help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open', labelNames: ['upstream'] as const, registers: [registry] });

  const requestChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(value: number): void }>();
  return {
    observe(upstream, outcome, seconds) {
      const key = `${upstream}\u0000${outcome}`;
      let counter = requestChildren.get(key);
      if (counter === undefined) {
        counter = requests.child(upstream, outcome);
        requestChildren.set(key, counter);
      }
      counter.inc();
      let histogram = durationChildren.get(upstream);
      if (histogram === undefined) {
        histogram = duration.child(upstream);
        durationChildren.set(upstream, histogram);
      }
      histogram.observe(seconds);
    },
    retried: (upstream) => retries.labels(upstream).inc(),
    circuit: (upstream, state) => circuits.labels(upstream).set(circuitValues[state]),
  };
}
