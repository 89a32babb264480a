import { instancesOf, InstanceSettingError, seedPortBase, type ServiceInstance } from './instance-layout.js';

/** The variable each service reads to find another (the gateway's `GATEWAY_URL` for auth, registry, observability). */
export const peerUrlVariables: Readonly<Record<string, string>> = {
  gateway: 'GATEWAY_URL',
  auth: 'AUTH_SERVICE_URL',
  billing: 'BILLING_SERVICE_URL',
  memory: 'MEMORY_SERVICE_URL',
  observability: 'OBSERVABILITY_SERVICE_URL',
  registry: 'REGISTRY_SERVICE_URL',
};

/**
 * How long a service that runs as several instances keeps serving after SIGTERM, already
 * answering /ready with 503: the gateway probes each instance's /ready about every 2 s, so by
 * then it has stopped sending there. A value the installation sets itself wins.
 */
export const multiInstanceShutdownDelayMs = 3_000;

const loopbackUrl = (instance: ServiceInstance): string => `http://127.0.0.1:${instance.port}`;

/**
 * What `lift up` tells one process on top of the installation's settings: its port, where the
 * other services it runs listen, and — for a service run as several instances — a shutdown delay.
 * Only the gateway balances, so only it gets every instance, as a comma-separated list; the others
 * get the first instance's URL (the kit reads a peer URL as one base URL and appends paths to it,
 * so a list would break them). A service this `lift up` does not run is left where the settings
 * put it. `PUBLIC_URL` follows the gateway when LIFT_PORT_BASE moves it and nothing sets it.
 */
export function instanceEnvironment(instance: ServiceInstance, layout: readonly ServiceInstance[], settings: Readonly<Record<string, string | undefined>>, portBase: number): Record<string, string> {
  const env: Record<string, string> = { PORT: String(instance.port), ...peerUrls(layout, { everyInstance: instance.service === 'gateway' }) };
  const gateway = instancesOf(layout, 'gateway')[0];
  if (portBase !== seedPortBase && gateway && !settings.PUBLIC_URL) env.PUBLIC_URL = `http://localhost:${gateway.port}`;
  if (instancesOf(layout, instance.service).length > 1 && !settings.SHUTDOWN_DELAY_MS) env.SHUTDOWN_DELAY_MS = String(multiInstanceShutdownDelayMs);
  return env;
}

/** The peer URL variables for the services of the layout: each service's first instance, or all of them as a comma-separated list. */
export function peerUrls(layout: readonly ServiceInstance[], options: { everyInstance: boolean }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [service, variable] of Object.entries(peerUrlVariables)) {
    const instances = instancesOf(layout, service);
    if (instances.length === 0) continue;
    env[variable] = options.everyInstance ? instances.map(loopbackUrl).join(',') : loopbackUrl(instances[0] as ServiceInstance);
  }
  return env;
}

/**
 * Several instances of a service share rate limits, login lockouts, revocations and leases only
 * through Redis: in-process state holds for one process (DESIGN.md, shared state), so two auth
 * processes would each allow the full number of login attempts. SQLite is fine (WAL, a busy
 * timeout: the kit opens every file so), PostgreSQL too.
 */
export function refuseInstancesWithoutRedis(counts: ReadonlyMap<string, number>, settings: Readonly<Record<string, string | undefined>>): void {
  const several = [...counts].filter(([, count]) => count > 1).map(([name]) => name);
  if (several.length === 0 || settings.REDIS_URL) return;
  throw new InstanceSettingError(
    `--instances: several instances of ${several.join(', ')} need REDIS_URL (in .env.local or the environment): without Redis each process keeps its own rate limits, lockouts and revocations`,
  );
}
