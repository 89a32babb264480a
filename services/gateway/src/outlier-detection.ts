import type { Clock } from '@lift/kit';
import type { UpstreamInstance } from './upstream-instance.js';

export interface OutlierDetectionSettings {
  /** Consecutive requests without an answer that eject an instance. */
  readonly ejectAfterFailures: number;
  /** Consecutive 502, 503 or 504 answers that eject an instance (Envoy's consecutive_gateway_failure). */
  readonly ejectAfterGatewayErrors: number;
  /** The first ejection's length; each ejection that follows soon after lasts one base longer. */
  readonly baseEjectionMs: number;
  readonly maxEjectionMs: number;
}

/**
 * Passive outlier detection, as Envoy's `consecutive_local_origin_failure` and
 * `consecutive_gateway_failure`: an instance that fails to answer `ejectAfterFailures` requests in a
 * row, or answers `ejectAfterGatewayErrors` in a row with 502, 503 or 504 (a half-broken instance
 * whose /ready still says 200 — under least-outstanding-requests its fast failures would draw most
 * of the traffic), is ejected for base × (ejections in a row), capped. It comes back only when that
 * time has passed and a probe of its /ready answers 200 — not on a guess — and the multiplier
 * starts over once it stays in for as long as it was out. Other answers, 500 included, are the
 * application's business.
 */
export class OutlierDetection {
  constructor(
    private readonly settings: OutlierDetectionSettings,
    private readonly clock: Clock,
  ) {}

  /** Records an answer of that status; true when it ejected the instance (the last of its gateway errors in a row). */
  answered(instance: UpstreamInstance, status: number): boolean {
    instance.consecutiveFailures = 0;
    if (status < 502 || status > 504) {
      instance.consecutiveGatewayErrors = 0;
      return false;
    }
    instance.consecutiveGatewayErrors += 1;
    return instance.consecutiveGatewayErrors >= this.settings.ejectAfterGatewayErrors && this.eject(instance);
  }

  /** Records a request that got no answer; true when this failure ejected the instance. */
  failed(instance: UpstreamInstance): boolean {
    instance.consecutiveFailures += 1;
    return instance.consecutiveFailures >= this.settings.ejectAfterFailures && this.eject(instance);
  }

  private eject(instance: UpstreamInstance): boolean {
    if (instance.ejected) return false;
    const now = this.clock.now();
    const lastLength = this.lengthOf(instance.ejections);
    instance.ejections = instance.ejections > 0 && now - instance.returnedAt < lastLength ? instance.ejections + 1 : 1;
    instance.ejected = true;
    instance.ejectedUntil = now + this.lengthOf(instance.ejections);
    return true;
  }

  /** Records a probe of the instance's /ready; true when it brought an ejected instance back. */
  probed(instance: UpstreamInstance, ready: boolean): boolean {
    instance.ready = ready;
    if (!instance.ejected || !ready || this.clock.now() < instance.ejectedUntil) return false;
    instance.ejected = false;
    instance.consecutiveFailures = 0;
    instance.consecutiveGatewayErrors = 0;
    instance.returnedAt = this.clock.now();
    return true;
  }

  /**
   * For instances nobody probes (a module's replicas, which the gateway reaches only through the
   * module address guard): an ejected instance comes back once its ejection time is over, on
   * trial, as in Envoy without active health checks — failing again ejects it for longer.
   */
  returnIfDue(instance: UpstreamInstance): boolean {
    if (!instance.ejected || this.clock.now() < instance.ejectedUntil) return false;
    return this.probed(instance, true);
  }

  private lengthOf(ejections: number): number {
    return Math.min(this.settings.baseEjectionMs * Math.max(1, ejections), Math.max(this.settings.maxEjectionMs, this.settings.baseEjectionMs));
  }
}
