import { FastCounter } from '@lift/kit';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { UpstreamInstances } from './upstream-instances.js';

/** Series per instance of a service that runs several (`instance` is its host:port). */
export interface InstanceMetrics {
  /** The counter of one instance's requests with this outcome; the caller keeps it. */
  requests(upstream: string, instance: string, outcome: string): { inc(): void };
  available(upstream: string, instance: string, available: boolean): void;
  ejected(upstream: string, instance: string): void;
}

export function upstreamInstanceMetrics(registry: Registry, sets: readonly UpstreamInstances[]): InstanceMetrics {
  const requests = new FastCounter('gateway_upstream_instance_requests_total', 'Attempts sent to one instance of a service, by outcome (status class, or why it failed); retries count on the instance they went to', ['upstream', 'instance', 'outcome'], registry);
  const available = new Gauge({ name: 'gateway_upstream_instance_available', help: 'Whether an instance gets new requests: 1, or 0 while it is ejected or its /ready is not 200', labelNames: ['upstream', 'instance'] as const, registers: [registry] });
  const ejections = new Counter({ name: 'gateway_upstream_instance_ejections_total', help: 'Times outlier detection ejected an instance after consecutive failures to answer', labelNames: ['upstream', 'instance'] as const, registers: [registry] });
  new Gauge({
    name: 'gateway_upstream_instance_outstanding_requests',
    help: 'Requests sent to an instance still waiting for its answer (what the balancer compares)',
    labelNames: ['upstream', 'instance'] as const,
    registers: [registry],
    // Read at scrape time: counting costs the requests nothing more.
    collect() {
      for (const set of sets) {
        if (!set.balanced) continue;
        for (const instance of set.instances) this.labels(set.upstream, instance.label).set(instance.outstanding);
      }
    },
  });
  return {
    requests: (upstream, instance, outcome) => requests.child(upstream, instance, outcome),
    available: (upstream, instance, isAvailable) => available.labels(upstream, instance).set(isAvailable ? 1 : 0),
    ejected: (upstream, instance) => ejections.labels(upstream, instance).inc(),
  };
}
