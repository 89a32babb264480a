import { ConflictError } from '@lift/kit';
import type { AlertRuleRow, MonitoredTargetRow } from '../store/monitoring-store.js';
import { fingerprintOf, fireAlert, resolveAlert } from './alert-lifecycle.js';
import type { MonitoringDomain } from './monitoring-domain.js';
import { platformServices } from './platform-services.js';
import type { ServiceTraffic } from './service-metrics-source.js';

/** Whether a rule's condition holds for one target now, and in words why; undefined when it cannot be told yet. */
type Verdict = { holds: boolean; summary: string } | undefined;

interface Facts {
  readonly services: ReadonlyMap<string, MonitoredTargetRow>;
  readonly modules: ReadonlyMap<string, MonitoredTargetRow>;
  traffic(windowMs: number): Promise<ReadonlyMap<string, ServiceTraffic>>;
}

const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

function targetsOf(rule: AlertRuleRow, facts: Facts): string[] {
  if (rule.target !== '*') return [rule.target];
  if (rule.kind === 'module_unhealthy') return [...facts.modules.values()].filter((row) => row.state !== 'disabled').map((row) => row.name);
  return [...platformServices];
}

async function verdictOf(rule: AlertRuleRow, target: string, facts: Facts, intervalMs: number): Promise<Verdict> {
  switch (rule.kind) {
    case 'service_down': {
      const row = facts.services.get(target);
      if (!row) return undefined;
      const checks = rule.checks ?? 1;
      return { holds: row.state !== 'up' && row.bad_checks >= checks, summary: `${target} has not been up for ${row.bad_checks === 1 ? '1 check' : `${row.bad_checks} checks in a row`} (${row.state}: ${row.detail ?? 'no detail'})` };
    }
    case 'module_unhealthy': {
      const row = facts.modules.get(target);
      if (!row) return { holds: false, summary: `module ${target} is not registered` };
      if (row.state === 'unknown') return undefined;
      return { holds: row.state === 'down', summary: `module ${target} is unhealthy (${row.detail ?? 'the registry gives no reason'})` };
    }
    case 'error_rate':
    case 'latency_p95': {
      const windowMs = rule.for_ms ?? 300_000;
      const traffic = (await facts.traffic(windowMs)).get(target);
      // Too short a history to judge a whole window (just started, or the service was unreachable).
      if (!traffic || traffic.coveredMs < windowMs - intervalMs) return undefined;
      const threshold = rule.threshold ?? 0;
      if (rule.kind === 'error_rate') {
        const percent = (traffic.errorRatio ?? 0) * 100;
        return { holds: traffic.requests > 0 && percent > threshold, summary: `${target}: ${Math.round(percent * 100) / 100} % of ${traffic.requests} requests answered 5xx over the last ${duration(windowMs)} (threshold ${threshold} %)` };
      }
      return { holds: traffic.p95Ms !== null && traffic.p95Ms > threshold, summary: `${target}: p95 latency ${traffic.p95Ms ?? '–'} ms over the last ${duration(windowMs)} (threshold ${threshold} ms)` };
    }
  }
}

/**
 * One evaluation, after a probe round, on the leader only: every enabled rule against every
 * target it names. A holding condition opens an alert (once per rule and target); an open alert
 * whose condition no longer holds — or whose rule was disabled or deleted, or whose target is
 * gone — is resolved by `system`. What cannot be told yet changes nothing.
 */
export async function evaluateRules(domain: MonitoringDomain): Promise<{ fired: number; resolved: number }> {
  const now = domain.clock.now();
  const [rules, targets, open] = await Promise.all([domain.store.alerts.rules(), domain.store.health.targets(), domain.store.alerts.openAlerts()]);
  const trafficByWindow = new Map<number, Promise<ReadonlyMap<string, ServiceTraffic>>>();
  const facts: Facts = {
    services: new Map(targets.filter((row) => row.kind === 'service').map((row) => [row.name, row])),
    modules: new Map(targets.filter((row) => row.kind === 'module').map((row) => [row.name, row])),
    traffic: (windowMs) => {
      let traffic = trafficByWindow.get(windowMs);
      if (!traffic) trafficByWindow.set(windowMs, (traffic = domain.metrics.traffic(windowMs, now).then(({ services }) => new Map(services.map((entry) => [entry.service, entry])))));
      return traffic;
    },
  };
  const ruleAlerts = open.filter((alert) => alert.source === 'rule');
  const openFingerprints = new Set(ruleAlerts.map((alert) => alert.fingerprint));
  const stillHolding = new Set<string>();
  let fired = 0;
  for (const rule of rules.filter((candidate) => candidate.enabled === 1)) {
    for (const target of targetsOf(rule, facts)) {
      const verdict = await verdictOf(rule, target, facts, domain.config.SERVICE_CHECK_INTERVAL_MS);
      const fingerprint = fingerprintOf(rule.id, target);
      if (verdict === undefined || verdict.holds) stillHolding.add(fingerprint);
      if (verdict?.holds && !openFingerprints.has(fingerprint) && (await fireAlert(domain, rule, target, verdict.summary))) fired += 1;
    }
  }
  let resolved = 0;
  for (const alert of ruleAlerts.filter((candidate) => !stillHolding.has(candidate.fingerprint))) {
    try {
      await resolveAlert(domain, alert.id, 'system');
      resolved += 1;
    } catch (error) {
      // Someone resolved it by hand in the meantime.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return { fired, resolved };
}
