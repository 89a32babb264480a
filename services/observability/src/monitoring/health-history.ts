import type { MonitoringQueries, MonitoringStore, MonitoredTargetRow } from '../store/monitoring-store.js';
import { isoAt } from './monitoring-domain.js';
import type { ModuleHealth } from './registry-module-health.js';
import type { ProbeResult } from './service-probe.js';

const hourOf = (ms: number) => isoAt(ms - (ms % 3_600_000));

async function addToHour(queries: MonitoringQueries, probe: ProbeResult, hour: string): Promise<void> {
  const stored = await queries.health.hour(probe.target, hour);
  const latencies = JSON.parse(stored?.latencies ?? '{}') as Record<string, number>;
  if (probe.latencyMs !== null) latencies[probe.latencyMs] = (latencies[probe.latencyMs] ?? 0) + 1;
  await queries.health.saveHour(
    { target: probe.target, hour, checks: (stored?.checks ?? 0) + 1, up_checks: (stored?.up_checks ?? 0) + (probe.state === 'up' ? 1 : 0), latencies: JSON.stringify(latencies) },
    stored !== undefined,
  );
}

/**
 * One round's probes: the history row, the hour's roll-up and the service's current state (with
 * how many checks in a row were not up, which the "service down" rule reads), in one transaction.
 */
export async function recordServiceChecks(store: MonitoringStore, probes: readonly ProbeResult[], now: number): Promise<void> {
  const at = isoAt(now);
  const current = new Map((await store.health.targets()).filter((row) => row.kind === 'service').map((row) => [row.name, row]));
  await store.transaction(async (queries) => {
    await queries.health.insertChecks(probes.map((probe) => ({ target: probe.target, checked_at: at, state: probe.state, latency_ms: probe.latencyMs, detail: probe.detail })));
    for (const probe of probes) {
      await addToHour(queries, probe, hourOf(now));
      const before = current.get(probe.target);
      await queries.health.saveTarget({
        kind: 'service',
        name: probe.target,
        state: probe.state,
        since: before?.state === probe.state ? before.since : at,
        checked_at: at,
        latency_ms: probe.latencyMs,
        detail: probe.detail,
        bad_checks: probe.state === 'up' ? 0 : (before?.bad_checks ?? 0) + 1,
      });
    }
  });
}

/** The modules as the registry reports them; when it cannot say, the known ones become unknown. */
export async function recordModules(store: MonitoringStore, modules: readonly ModuleHealth[] | undefined, now: number): Promise<void> {
  const at = isoAt(now);
  const known = (await store.health.targets()).filter((row) => row.kind === 'module');
  await store.transaction(async (queries) => {
    if (modules === undefined) {
      for (const row of known) if (row.state !== 'unknown') await queries.health.saveTarget({ ...row, state: 'unknown', since: at, detail: 'the registry cannot be asked' });
      return;
    }
    const before = new Map(known.map((row) => [row.name, row]));
    for (const module of modules) {
      const previous = before.get(module.moduleId);
      const row: MonitoredTargetRow = {
        kind: 'module',
        name: module.moduleId,
        state: module.state,
        since: previous?.state === module.state ? previous.since : module.since,
        checked_at: at,
        latency_ms: null,
        detail: module.detail,
        bad_checks: module.state === 'down' ? (previous?.bad_checks ?? 0) + 1 : 0,
      };
      await queries.health.saveTarget(row);
    }
    await queries.health.deleteModulesOtherThan(modules.map((module) => module.moduleId));
  });
}

/** Retention: one chunk of each history table per round keeps up with a round's writes many times over. */
export async function pruneHistory(store: MonitoringStore, retentionDays: number, now: number): Promise<number> {
  const cutoff = isoAt(now - retentionDays * 86_400_000);
  const chunk = 5_000;
  let deleted = 0;
  for (const table of ['service_checks', 'service_check_hours', 'service_metric_samples'] as const) deleted += await store.health.deleteOldest(table, cutoff, chunk);
  return deleted;
}
