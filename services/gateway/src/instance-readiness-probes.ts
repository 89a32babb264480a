import type { Clock, HttpClient } from '@lift/kit';
import { probeReadiness } from './readiness-probe.js';
import type { UpstreamInstance } from './upstream-instance.js';
import type { UpstreamInstances } from './upstream-instances.js';

export interface InstanceProbeOptions {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly intervalMs: number;
}

/**
 * Active readiness probing of the services that run several instances: every `intervalMs` each
 * instance's GET /ready. 200 makes it ready (and brings an ejected one back once its ejection time
 * is over); a 503 — a draining or starting instance — or no answer makes it unready: no new
 * requests, those in flight finish. A service of one instance is not probed: it gets every request
 * anyway, as before. Every instance counts as ready until the first round, one interval after
 * start (one that is down meanwhile is ejected by its failures). The timer does not keep the process alive; `stop()` ends it (the gateway's close).
 */
export function probeInstances(sets: readonly UpstreamInstances[], options: InstanceProbeOptions): { stop(): void } {
  const probed = sets.filter((set) => set.balanced);
  if (probed.length === 0) return { stop: () => undefined };
  // A probe slower than the interval is not one to wait for: the next round asks again.
  const probe = { http: options.http, clock: options.clock, timeoutMs: Math.min(1_000, options.intervalMs) };
  const inFlight = new Set<UpstreamInstance>();
  let stopped = false;

  const probeOne = async (set: UpstreamInstances, instance: UpstreamInstance): Promise<void> => {
    inFlight.add(instance);
    try {
      const readiness = await probeReadiness(instance.origin, probe);
      if (!stopped) set.probed(instance, readiness.status === 'ready');
    } finally {
      inFlight.delete(instance);
    }
  };
  const round = () => {
    for (const set of probed) for (const instance of set.instances) if (!inFlight.has(instance)) void probeOne(set, instance);
  };
  const timer = setInterval(round, options.intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
