import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import type { ModuleManifestInput } from './manifest.js';
import { recordHealth, ttlOf } from './module-health.js';
import type { RegistryDomain } from './registry-domain.js';
import { addressProblem, type UrlPolicy } from './url-guard.js';

/** A DNS lookup that refuses addresses the URL policy forbids, so no connection is ever opened to them. */
export function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const refused = list.map((entry) => addressProblem(entry.address, policy)).find((problem) => problem !== undefined);
      if (refused) return callback(Object.assign(new Error(`refused: ${refused}`), { code: 'EREFUSED_BY_POLICY' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, addresses: typeof list) => void)(null, list);
      const first = list[0] as { address: string; family: number };
      callback(null, first.address, first.family);
    });
  };
}

export function healthUrl(manifest: Pick<ModuleManifestInput, 'baseUrl' | 'healthEndpoint'>): string {
  return /^https?:\/\//i.test(manifest.healthEndpoint) ? manifest.healthEndpoint : `${manifest.baseUrl.replace(/\/$/, '')}${manifest.healthEndpoint}`;
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
    agent ??= new Agent({ connect: { lookup: guardedLookup(await domain.urlPolicy), timeout: domain.config.HEALTH_CHECK_TIMEOUT_MS }, keepAliveTimeout: 1_000 });
    const started = performance.now();
    try {
      const answer = await request(healthUrl(manifest), {
        dispatcher: agent,
        method: 'GET',
        headers: { 'user-agent': 'lift-registry-health-check' },
        headersTimeout: domain.config.HEALTH_CHECK_TIMEOUT_MS,
        bodyTimeout: domain.config.HEALTH_CHECK_TIMEOUT_MS,
      });
      await answer.body.dump();
      const ok = answer.statusCode >= 200 && answer.statusCode < 300;
      await recordHealth(domain, manifest.moduleId, ok, Math.round(performance.now() - started), ok ? null : `health endpoint answered ${answer.statusCode}`);
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      await recordHealth(domain, manifest.moduleId, false, null, `health endpoint unreachable (${code})`);
    }
  };

  const runOnce = async (): Promise<void> => {
    if (!(await holdsLease())) return;
    const rows = await domain.db.selectFrom('modules').select(['manifest', 'last_heartbeat_at', 'registered_at']).execute();
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
