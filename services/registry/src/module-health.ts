import { InvalidInputError, nowIso } from '@lift/kit';
import { registryErrorCodes } from './errors.js';
import type { ModuleManifestInput } from './manifest.js';
import { getModule } from './module-catalog.js';
import { type RegistryDomain } from './registry-domain.js';
import { announce } from './revision.js';
import type { ModuleStatus } from './tables.js';

const keptResults = 50;

/**
 * One health observation (a probe's answer, a heartbeat, or a missed heartbeat). The status moves
 * only after a run of them — healthy → unhealthy after HEALTH_UNHEALTHY_THRESHOLD failures,
 * back after HEALTH_HEALTHY_THRESHOLD successes — so one slow answer does not flap the route.
 * A module that stays down is reported, never deleted.
 */
export async function recordHealth(domain: RegistryDomain, moduleId: string, ok: boolean, latencyMs: number | null, detail: string | null): Promise<ModuleStatus | undefined> {
  const at = nowIso(domain.clock);
  const { changed, status } = await domain.store.transaction(async (queries) => {
    const row = await queries.healthCounters(moduleId);
    if (!row) return { changed: undefined, status: undefined };
    const failures = ok ? 0 : row.consecutive_failures + 1;
    const successes = ok ? row.consecutive_successes + 1 : 0;
    let next: ModuleStatus = row.status;
    if (ok && (row.status === 'unknown' || successes >= domain.config.HEALTH_HEALTHY_THRESHOLD)) next = 'healthy';
    if (!ok && (row.status === 'unknown' || failures >= domain.config.HEALTH_UNHEALTHY_THRESHOLD)) next = 'unhealthy';
    await queries.updateHealth(moduleId, {
      status: next,
      consecutive_failures: failures,
      consecutive_successes: successes,
      last_checked_at: at,
      last_error: ok ? null : detail,
      ...(next !== row.status ? { status_changed_at: at } : {}),
    });
    await queries.insertHealthResult({ module_id: moduleId, checked_at: at, ok: ok ? 1 : 0, latency_ms: latencyMs, detail });
    await queries.keepLatestHealthResults(moduleId, keptResults);
    return { changed: next !== row.status ? await queries.bumpRevision() : undefined, status: next };
  });
  if (changed !== undefined) {
    domain.log.info({ moduleId, status, detail }, 'module health changed');
    await announce(domain.state, changed);
  }
  return status;
}

/** A heartbeat from a module with a ttl health check: it is alive now. */
export async function heartbeat(domain: RegistryDomain, moduleId: string): Promise<{ status: ModuleStatus; nextHeartbeatBefore: string }> {
  const module = await getModule(domain, moduleId);
  const ttlSeconds = ttlOf(module);
  if (ttlSeconds === undefined) {
    throw new InvalidInputError(registryErrorCodes.heartbeatNotExpected, `Module "${moduleId}" is checked over HTTP; declare healthCheck { type: "ttl", ttlSeconds } to use heartbeats.`);
  }
  await domain.store.recordHeartbeat(moduleId, nowIso(domain.clock));
  const status = (await recordHealth(domain, moduleId, true, null, 'heartbeat')) ?? 'unknown';
  return { status, nextHeartbeatBefore: new Date(domain.clock.now() + ttlSeconds * 1000).toISOString() };
}

export function ttlOf(manifest: Pick<ModuleManifestInput, 'healthCheck'>): number | undefined {
  return manifest.healthCheck?.type === 'ttl' ? manifest.healthCheck.ttlSeconds : undefined;
}

export async function healthOf(domain: RegistryDomain, moduleId: string) {
  const module = await getModule(domain, moduleId);
  const results = await domain.store.recentHealthResults(moduleId, 20);
  return {
    moduleId,
    status: module.status,
    enabled: module.enabled,
    checkType: ttlOf(module) === undefined ? ('http' as const) : ('ttl' as const),
    lastCheckedAt: module.lastCheckedAt,
    lastHeartbeatAt: module.lastHeartbeatAt,
    lastError: module.lastError,
    statusChangedAt: module.statusChangedAt,
    recent: results.map((result) => ({ checkedAt: result.checked_at, ok: result.ok === 1, latencyMs: result.latency_ms, detail: result.detail })),
  };
}

export async function healthSummary(domain: RegistryDomain) {
  const rows = await domain.store.healthOverview();
  const count = (status: ModuleStatus) => rows.filter((row) => row.status === status).length;
  return {
    total: rows.length,
    healthy: count('healthy'),
    unhealthy: count('unhealthy'),
    unknown: count('unknown'),
    disabled: rows.filter((row) => row.enabled === 0).length,
    modules: rows.map((row) => ({ moduleId: row.module_id, status: row.status, enabled: row.enabled === 1, since: row.status_changed_at, lastError: row.last_error })),
  };
}
