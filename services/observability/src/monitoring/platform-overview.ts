import { NotFoundError } from '@lift/kit';
import type { MonitoredTargetRow } from '../store/monitoring-store.js';
import { alertView, type Alert } from './alert-notifications.js';
import type { MonitoringDomain } from './monitoring-domain.js';
import { monitoringErrorCodes } from './monitoring-errors.js';
import type { TargetState } from './monitoring-tables.js';
import { isPlatformService, platformServices } from './platform-services.js';
import { uptimeFigures, type UptimeWindow, type WindowFigures } from './uptime-report.js';

export type OverallState = 'up' | 'degraded' | 'down' | 'unknown';

/**
 * The platform as one word: down when a service is down, degraded when one is not ready or a
 * module is down, unknown before the first round, up otherwise.
 */
export function overallState(services: readonly { state: TargetState }[], modules: readonly { state: TargetState }[]): OverallState {
  if (services.some((service) => service.state === 'down')) return 'down';
  if (services.every((service) => service.state === 'unknown')) return 'unknown';
  if (services.some((service) => service.state !== 'up') || modules.some((module) => module.state === 'down')) return 'degraded';
  return 'up';
}

/** Every service (unknown until first probed) and every module the registry reported. */
async function currentTargets(domain: MonitoringDomain): Promise<{ services: MonitoredTargetRow[]; modules: MonitoredTargetRow[] }> {
  const rows = await domain.store.health.targets();
  const byName = new Map(rows.filter((row) => row.kind === 'service').map((row) => [row.name, row]));
  const services = platformServices.map(
    (name): MonitoredTargetRow => byName.get(name) ?? { kind: 'service', name, state: 'unknown', since: '', checked_at: null, latency_ms: null, detail: 'not probed yet', bad_checks: 0 },
  );
  return { services, modules: rows.filter((row) => row.kind === 'module') };
}

/** The public status page: names and states, nothing else. */
export async function publicStatus(domain: MonitoringDomain) {
  const { services, modules } = await currentTargets(domain);
  const names = (rows: readonly MonitoredTargetRow[]) => rows.map((row) => ({ name: row.name, state: row.state }));
  return { state: overallState(services, modules), services: names(services), modules: names(modules) };
}

const serviceSummary = (row: MonitoredTargetRow) => ({ name: row.name, state: row.state, since: row.since || null, checkedAt: row.checked_at, latencyMs: row.latency_ms, detail: row.detail });

const noFigures: Record<UptimeWindow, WindowFigures> = Object.fromEntries((['1h', '24h', '7d'] as const).map((window) => [window, { checks: 0, uptimePercent: null, p50Ms: null, p95Ms: null, p99Ms: null }])) as Record<UptimeWindow, WindowFigures>;

/** Each service's state, uptime and response-time percentiles over 1 h, 24 h and 7 d. */
export async function serviceHealth(domain: MonitoringDomain) {
  const [{ services }, figures] = await Promise.all([currentTargets(domain), uptimeFigures(domain.store, domain.clock.now())]);
  return services.map((row) => ({ ...serviceSummary(row), windows: figures.get(row.name) ?? noFigures }));
}

/** One service's health with its latest checks, newest first. */
export async function serviceHealthDetail(domain: MonitoringDomain, name: string) {
  if (!isPlatformService(name)) throw new NotFoundError(monitoringErrorCodes.targetNotFound, `No service "${name}"; the services are ${platformServices.join(', ')}.`);
  const [all, recent] = await Promise.all([serviceHealth(domain), domain.store.health.recentChecks(name, 60)]);
  const summary = all.find((service) => service.name === name) as (typeof all)[number];
  return { ...summary, recent: recent.map((row) => ({ checkedAt: row.checked_at, state: row.state, latencyMs: row.latency_ms, detail: row.detail })) };
}

/** The console's front page: states, traffic from the services' own metrics, open alerts. */
export async function platformOverview(domain: MonitoringDomain) {
  const now = domain.clock.now();
  const windowMs = domain.config.OVERVIEW_WINDOW_SECONDS * 1000;
  const [{ services, modules }, traffic, open] = await Promise.all([currentTargets(domain), domain.metrics.traffic(windowMs, now), domain.store.alerts.openAlerts()]);
  const trafficOf = new Map(traffic.services.map((entry) => [entry.service, entry]));
  const figures = (entry: { requestsPerSecond: number; errorRatio: number | null; p95Ms: number | null } | undefined) => ({
    requestsPerSecond: entry?.requestsPerSecond ?? 0,
    errorRatePercent: entry?.errorRatio === null || entry === undefined ? null : Math.round(entry.errorRatio * 10_000) / 100,
    p95Ms: entry?.p95Ms ?? null,
  });
  const alerts: Alert[] = open.map(alertView);
  const count = (severity: Alert['severity']) => alerts.filter((alert) => alert.severity === severity).length;
  return {
    state: overallState(services, modules),
    windowSeconds: domain.config.OVERVIEW_WINDOW_SECONDS,
    traffic: figures(traffic.platform),
    services: services.map((row) => ({ ...serviceSummary(row), ...figures(trafficOf.get(row.name)) })),
    modules: modules.map((row) => ({ name: row.name, state: row.state, since: row.since || null, detail: row.detail })),
    openAlerts: { total: alerts.length, critical: count('critical'), warning: count('warning'), info: count('info'), items: alerts.slice(0, 20) },
  };
}
