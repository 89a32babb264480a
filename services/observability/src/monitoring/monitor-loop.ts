import { randomUUID } from 'node:crypto';
import { createLease } from '@lift/kit';
import type { MonitoringDomain } from './monitoring-domain.js';
import { pruneHistory, recordModules, recordServiceChecks } from './health-history.js';
import { platformServiceUrls, platformServices } from './platform-services.js';
import type { ModuleHealthSource } from './registry-module-health.js';
import { evaluateRules } from './rule-evaluation.js';
import { probeService } from './service-probe.js';
import type { WebhookSender } from './webhook-sender.js';

export interface RoundReport {
  /** False when another replica holds the lease: this one did nothing. */
  readonly led: boolean;
  readonly fired: number;
  readonly resolved: number;
  /**
   * The notifications that were due, claimed and sent apart from the round (which does not wait for
   * them): settles with how many were delivered once each has an outcome, within
   * ALERT_WEBHOOK_TIMEOUT_MS. Never rejects.
   */
  readonly notifications: Promise<number>;
}

export interface MonitorLoop {
  /** One round now: probes, module health, metrics, rules and retention (if this replica leads); starts sending what is due (any replica). */
  runRound(): Promise<RoundReport>;
  /** Stops the timer, waits for a round in flight and gives the lease up so another replica leads at once. */
  stop(): Promise<void>;
}

/**
 * The monitor's rounds. With several replicas, one holds a lease in the shared state (TTL three
 * rounds and two probe timeouts) and does the rounds; the others stand by and take the lease when
 * its holder stops renewing it — by dying, or at once when it shuts down.
 *
 * A round's slow part is bounded: every probe and scrape has a hard deadline
 * (SERVICE_CHECK_TIMEOUT_MS over connecting and the whole answer, run in parallel), and the holder
 * renews the lease once they are in, writing nothing if it has lost it meanwhile. So one replica
 * probes at a time unless a holder stalls (a pause, an overloaded database) for longer than the
 * TTL. Notifications are not part of the round: every replica sends what is due after its round,
 * without waiting, each row claimed first so that only one replica sends it.
 */
export function startMonitorLoop(domain: MonitoringDomain, sources: { modules: ModuleHealthSource; sender: WebhookSender }, options: { onTimer: boolean }): MonitorLoop {
  const { config } = domain;
  const intervalMs = config.SERVICE_CHECK_INTERVAL_MS;
  const lease = createLease({ state: domain.state, key: 'observability:monitor-lease', ttlMs: intervalMs * 3 + config.SERVICE_CHECK_TIMEOUT_MS * 2, holder: randomUUID() });
  const urls = platformServiceUrls(config);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let leading = false;

  const lead = async (): Promise<boolean> => {
    const led = await lease.acquireOrRenew();
    if (led !== leading) domain.log.info({ holder: lease.holder }, led ? 'this replica now runs the health monitor' : 'another replica runs the health monitor');
    leading = led;
    return led;
  };

  const monitor = async (): Promise<{ led: boolean; fired: number; resolved: number }> => {
    if (!(await lead())) return { led: false, fired: 0, resolved: 0 };
    const now = domain.clock.now();
    const [probes, modules] = await Promise.all([
      Promise.all(platformServices.map((service) => probeService(domain.http, service, urls[service], config.SERVICE_CHECK_TIMEOUT_MS))),
      sources.modules(),
      // The metrics are one part of the round: if reading them fails, the probes and rules still run.
      domain.metrics.collect(now).catch((error: unknown) => domain.log.error({ err: error }, 'collecting the metrics of this round failed: the round goes on without them')),
    ]);
    // Still the holder? If this replica stalled past the TTL, another has taken over: write nothing.
    if (!(await lead())) return { led: false, fired: 0, resolved: 0 };
    await recordServiceChecks(domain.store, probes, now);
    await recordModules(domain.store, modules, now);
    const { fired, resolved } = await evaluateRules(domain);
    await pruneHistory(domain.store, config.HEALTH_HISTORY_RETENTION_DAYS, now);
    return { led: true, fired, resolved };
  };

  const runRound = async (): Promise<RoundReport> => {
    const outcome = await monitor();
    return { ...outcome, notifications: sources.sender.deliverDue() };
  };

  const loop = (): void => {
    if (stopped) return;
    running = runRound()
      .catch((error: unknown) => domain.log.error({ err: error }, 'a health monitor round failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  if (options.onTimer) timer = setTimeout(loop, 0);

  return {
    runRound,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await lease.release().catch((error: unknown) => domain.log.warn({ err: error }, 'giving up the health monitor lease failed'));
    },
  };
}
