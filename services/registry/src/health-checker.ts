import { randomUUID } from 'node:crypto';
import { Agent, buildConnector, request } from 'undici';
import { closeIdleConnectionsAfter, guardedConnector } from '@lift/kit';
import type { ModuleManifestInput } from './manifest.js';
import { recordHealth, ttlOf } from './module-health.js';
import type { RegistryDomain } from './registry-domain.js';

/**
 * Where a module's health is read: its health endpoint under baseUrl and under each replica, or
 * the one absolute health URL it gave. The module is healthy while any instance is: the gateway
 * balances across them and ejects the ones that fail.
 */
export function healthUrls(manifest: Pick<ModuleManifestInput, 'baseUrl' | 'healthEndpoint' | 'replicaBaseUrls'>): string[] {
  if (/^https?:\/\//i.test(manifest.healthEndpoint)) return [manifest.healthEndpoint];
  return [manifest.baseUrl, ...(manifest.replicaBaseUrls ?? [])].map((base) => `${base.replace(/\/$/, '')}${manifest.healthEndpoint}`);
}

interface HealthReading {
  readonly ok: boolean;
  readonly latencyMs: number | null;
  readonly error: string | null;
}

/**
 * Checks every module on an interval: HTTP modules by calling their health endpoint (2xx within
 * the timeout is healthy; redirects are never followed), ttl modules by the age of their last
 * heartbeat. With several registry replicas one holds a lease in the shared state and checks; the
 * others stand by, so a module is not probed once per replica.
 */
export function startHealthChecker(domain: RegistryDomain, options: { onTimer: boolean } = { onTimer: true }): { stop(): Promise<void>; runOnce(): Promise<void> } {
  const instance = randomUUID();
  const intervalMs = domain.config.HEALTH_CHECK_INTERVAL_MS;
  let agent: Agent | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const holdsLease = async (): Promise<boolean> => {
    const key = 'registry:health-checker-lease';
    const ttlMs = intervalMs * 3;
    if (await domain.state.set(key, instance, { onlyIfAbsent: true, ttlMs })) return true;
    if ((await domain.state.get(key)) !== instance) return false;
    await domain.state.set(key, instance, { ttlMs });
    return true;
  };

  const probe = async (manifest: ModuleManifestInput): Promise<void> => {
    // Every connection is checked against the address policy as it is opened (DNS rebinding).
    agent ??= new Agent({
      connect: guardedConnector({ buildConnector, policy: (await domain.urlPolicy).addresses, timeout: domain.config.HEALTH_CHECK_TIMEOUT_MS }),
      ...closeIdleConnectionsAfter(1_000),
    });
    const dispatcher = agent;
    const read = async (url: string): Promise<HealthReading> => {
      const started = performance.now();
      try {
        const answer = await request(url, {
          dispatcher,
          method: 'GET',
          headers: { 'user-agent': 'lift-registry-health-check' },
          headersTimeout: domain.config.HEALTH_CHECK_TIMEOUT_MS,
          bodyTimeout: domain.config.HEALTH_CHECK_TIMEOUT_MS,
        });
        await answer.body.dump();
        const ok = answer.statusCode >= 200 && answer.statusCode < 300;
        return { ok, latencyMs: Math.round(performance.now() - started), error: ok ? null : `health endpoint answered ${answer.statusCode}` };
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name;
        return { ok: false, latencyMs: null, error: `health endpoint unreachable (${code})` };
      }
    };
    const readings = await Promise.all(healthUrls(manifest).map(read));
    const healthy = readings.find((reading) => reading.ok);
    const [first] = readings as [HealthReading, ...HealthReading[]];
    const error = readings.length > 1 ? `${first.error ?? ''} (and on every replica)` : first.error;
    await recordHealth(domain, manifest.moduleId, healthy !== undefined, (healthy ?? first).latencyMs, healthy ? null : error);
  };

  const runOnce = async (): Promise<void> => {
    if (!(await holdsLease())) return;
    const rows = await domain.store.healthSchedule();
    await Promise.all(
      rows.map(async (row) => {
        const manifest = JSON.parse(row.manifest) as ModuleManifestInput;
        const ttlSeconds = ttlOf(manifest);
        if (ttlSeconds === undefined) return probe(manifest);
        const last = Date.parse(row.last_heartbeat_at ?? row.registered_at);
        if (domain.clock.now() - last > ttlSeconds * 1000) {
          await recordHealth(domain, manifest.moduleId, false, null, `no heartbeat for more than ${ttlSeconds} s`);
        }
      }),
    );
  };

  const loop = (): void => {
    if (stopped) return;
    running = runOnce()
      .catch((error: unknown) => domain.log.error({ err: error }, 'health check round failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  if (options.onTimer) timer = setTimeout(loop, 0);

  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await agent?.close();
    },
  };
}
