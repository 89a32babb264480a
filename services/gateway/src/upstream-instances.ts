import { closeIdleConnectionsAfter } from '@lift/kit';
import { Pool } from 'undici';
import type { OutlierDetection } from './outlier-detection.js';
import type { InstanceMetrics } from './upstream-instance-metrics.js';
import { UpstreamInstance } from './upstream-instance.js';

export interface InstancePoolSettings {
  readonly connections: number;
  readonly connectTimeoutMs: number;
  /** How long an instance has to start answering (and between two chunks of its body). */
  readonly timeoutMs: number;
}

/**
 * How instances share requests: the fewest outstanding (Envoy's least request; ties in turn), or
 * strictly in turn (round robin), both among the instances that take requests now.
 */
export type Balancing = 'least-requests' | 'round-robin';

export interface UpstreamInstancesOptions {
  /** Nobody probes these instances: an ejected one returns when its ejection time is over (see `OutlierDetection.returnIfDue`). */
  readonly returnWithoutProbe?: boolean;
  readonly balancing?: Balancing;
}

/** An available instance first, then one that is draining (it still serves), then an ejected one; the one to avoid last. */
function rankOf(instance: UpstreamInstance, avoid: UpstreamInstance | undefined): number {
  if (instance === avoid) return 3;
  if (instance.available) return 0;
  return instance.ejected ? 2 : 1;
}

/**
 * The instances of one service, and which one gets the next request: the fewest outstanding
 * requests among the available ones, ties going round-robin so equal instances share the load.
 * With a single instance nothing is tracked beyond what forwarding always did: no outlier
 * detection, no probes, no per-instance series — the service's own series are the instance's.
 */
export class UpstreamInstances {
  readonly instances: readonly UpstreamInstance[];
  private cursor = 0;
  private metrics: InstanceMetrics | undefined;

  constructor(
    readonly upstream: string,
    instances: readonly UpstreamInstance[],
    private readonly outliers: OutlierDetection | undefined,
    options: UpstreamInstancesOptions = {},
  ) {
    this.instances = instances;
    this.returnWithoutProbe = options.returnWithoutProbe === true;
    this.leastRequests = options.balancing !== 'round-robin';
  }

  private readonly returnWithoutProbe: boolean;
  private readonly leastRequests: boolean;

  /** One keep-alive pool per origin, with the gateway's pool settings. */
  static ofOrigins(upstream: string, origins: readonly string[], pool: InstancePoolSettings, outliers: OutlierDetection, balancing: Balancing = 'least-requests'): UpstreamInstances {
    const instances = origins.map((origin) => new UpstreamInstance(origin, new URL(origin).host, new Pool(origin, {
      connections: pool.connections,
      connect: { timeout: pool.connectTimeoutMs },
      headersTimeout: pool.timeoutMs,
      bodyTimeout: pool.timeoutMs,
      ...closeIdleConnectionsAfter(10_000),
    })));
    return new UpstreamInstances(upstream, instances, instances.length > 1 ? outliers : undefined, { balancing });
  }

  /** Whether there is more than one instance to balance, eject and probe. */
  get balanced(): boolean {
    return this.instances.length > 1;
  }

  /** From now on, per-instance series (only for services of several instances). */
  reportTo(metrics: InstanceMetrics): void {
    if (!this.balanced) return;
    this.metrics = metrics;
    for (const instance of this.instances) metrics.available(this.upstream, instance.label, instance.available);
  }

  /**
   * The instance for the next attempt; `avoid` is the one the previous attempt failed on. When no
   * instance is available, one still is chosen (Envoy's panic mode: an attempt that may fail rather
   * than a certain 503; the circuit breaker stops the flood once they all fail). O(instances), no allocation.
   */
  pick(avoid?: UpstreamInstance): UpstreamInstance {
    const { instances } = this;
    const count = instances.length;
    if (count === 1) return instances[0] as UpstreamInstance;
    if (this.returnWithoutProbe && this.outliers) for (const instance of instances) if (instance.ejected) this.outliers.returnIfDue(instance);
    const start = this.cursor;
    let bestIndex = start;
    let best = instances[start] as UpstreamInstance;
    let bestRank = rankOf(best, avoid);
    for (let step = 1; step < count; step += 1) {
      const index = start + step < count ? start + step : start + step - count;
      const candidate = instances[index] as UpstreamInstance;
      const rank = rankOf(candidate, avoid);
      if (rank < bestRank || (rank === bestRank && this.leastRequests && candidate.outstanding < best.outstanding)) {
        best = candidate;
        bestRank = rank;
        bestIndex = index;
      }
    }
    // A first attempt's turn goes on from the one chosen, not from the slot looked at first: an
    // instance skipped (draining, ejected) must not hand its turn to its neighbour on top of its
    // own. A retry leaves the turn alone — moving it past the retry's instance would hand the next
    // request back to the instance that just failed (with two instances, every request).
    if (avoid === undefined) this.cursor = bestIndex + 1 === count ? 0 : bestIndex + 1;
    return best;
  }

  /**
   * An instance for the gateway's own calls (/ready, /openapi.json, token exchanges): the first
   * available in the configured order, else the best of the rest. Leaves the request rotation alone.
   */
  anyAvailable(): UpstreamInstance {
    let best = this.instances[0] as UpstreamInstance;
    for (const candidate of this.instances) {
      if (candidate.available) return candidate;
      if (rankOf(candidate, undefined) < rankOf(best, undefined)) best = candidate;
    }
    return best;
  }

  /** Whether another instance than this one takes new requests now. */
  hasAlternativeTo(instance: UpstreamInstance): boolean {
    for (const candidate of this.instances) if (candidate !== instance && candidate.available) return true;
    return false;
  }

  /** The attempt on `instance` got an answer of that status; `outcome` is its status class. */
  answered(instance: UpstreamInstance, status: number, outcome: string): void {
    if (this.outliers === undefined) return;
    this.count(instance, outcome);
    const wasAvailable = instance.available;
    if (this.outliers.answered(instance, status)) this.metrics?.ejected(this.upstream, instance.label);
    if (wasAvailable !== instance.available) this.metrics?.available(this.upstream, instance.label, instance.available);
  }

  /** The attempt on `instance` got no answer; `outcome` names the failure. */
  failed(instance: UpstreamInstance, outcome: string): void {
    if (this.outliers === undefined) return;
    this.count(instance, outcome);
    const wasAvailable = instance.available;
    if (this.outliers.failed(instance)) this.metrics?.ejected(this.upstream, instance.label);
    if (wasAvailable !== instance.available) this.metrics?.available(this.upstream, instance.label, instance.available);
  }

  /** What the last probe of the instance's /ready said. */
  probed(instance: UpstreamInstance, ready: boolean): void {
    if (this.outliers === undefined) return;
    const wasAvailable = instance.available;
    this.outliers.probed(instance, ready);
    if (wasAvailable !== instance.available) this.metrics?.available(this.upstream, instance.label, instance.available);
  }

  close(): Promise<void> {
    return Promise.all(this.instances.map((instance) => instance.pool.close())).then(() => undefined);
  }

  private count(instance: UpstreamInstance, outcome: string): void {
    if (this.metrics === undefined) return;
    let counter = instance.outcomeCounters.get(outcome);
    if (counter === undefined) {
      counter = this.metrics.requests(this.upstream, instance.label, outcome);
      instance.outcomeCounters.set(outcome, counter);
    }
    counter.inc();
  }
}
