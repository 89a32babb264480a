import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from './service-process.js';

export const coreServiceNames = ['auth', 'billing', 'memory', 'observability', 'registry'] as const;
export type CoreServiceName = (typeof coreServiceNames)[number];

export interface PlatformStack {
  /** The shared working directory: data/ (the SQLite files, the mail folder) is here. */
  readonly cwd: string;
  /** The gateway's current process (a restart replaces it, on the same port). */
  readonly gateway: ServiceProcess;
  /** The services' current processes (a restart replaces one). */
  readonly services: Readonly<Record<CoreServiceName, ServiceProcess>>;
  /** Kills a service with SIGKILL — no drain, no flush, as a crash or the OOM killer would — and starts it again on its port, ready. */
  crashAndRestart(name: CoreServiceName | 'gateway'): Promise<ServiceProcess>;
  /**
   * One more gateway process in front of the same services with the same settings, as a second
   * replica behind a load balancer; stopped with the stack. Shares limits with the first only
   * through REDIS_URL.
   */
  startGatewayReplica(): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** SERVICE_CLIENT_SECRETS with a secret for every service, as `lift up` generates them: the services call each other as in a real installation. */
export function everyServiceClientSecret(suite: string): string {
  return ['gateway', ...coreServiceNames].map((name) => `${name}:${name}-secret-for-the-${suite}-suite`).join(',');
}

export interface PlatformStackOptions {
  /** Settings of one service only (its own PostgreSQL schema, say), over the shared ones. */
  readonly perService?: (name: CoreServiceName | 'gateway') => Record<string, string>;
}

/**
 * The six services as real processes on free ports, sharing one working directory (one data/
 * folder) as under `lift up`, with the gateway pointed at the other five.
 */
export async function startPlatformStack(env: Record<string, string> = {}, options: PlatformStackOptions = {}): Promise<PlatformStack> {
  // A free port is free when asked, not when the service binds it: another suite's process may
  // take it in between (EADDRINUSE). Then the whole stack starts again on fresh ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startPlatformStackOnce(env, options);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startPlatformStackOnce(env: Record<string, string>, options: PlatformStackOptions): Promise<PlatformStack> {
  const cwd = mkdtempSync(join(tmpdir(), 'lift-stack-'));
  // Every service knows where the gateway is, as under `lift up`: auth delivers revocations there.
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const ports = Object.fromEntries(await Promise.all(coreServiceNames.map(async (name) => [name, await freePort()] as const))) as Record<CoreServiceName, number>;
  // And where each other service is, as `lift up` tells them: memory verifies tokens with auth's
  // keys and asks billing for limits, billing asks auth, and so on.
  const upstreamUrls = Object.fromEntries(coreServiceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, `http://127.0.0.1:${ports[name]}`]));
  const common = { GATEWAY_URL: gatewayUrl, ...upstreamUrls, ...env };
  const start = (name: CoreServiceName) => startServiceProcess({ name, port: ports[name], cwd, env: { ...common, ...options.perService?.(name) } });
  const services = Object.fromEntries(coreServiceNames.map((name) => [name, start(name)])) as Record<CoreServiceName, ServiceProcess>;
  const startGateway = (port: number) => startServiceProcess({ name: 'gateway', port, cwd, env: { ...common, ...options.perService?.('gateway') } });
  let gateway = startGateway(gatewayPort);
  const replicas: ServiceProcess[] = [];
  const all = () => [gateway, ...replicas, ...Object.values(services)];
  try {
    await Promise.all(all().map((service) => waitUntilReady(service)));
  } catch (error) {
    await Promise.all(all().map((service) => service.stop()));
    throw error;
  }
  return {
    cwd,
    get gateway() {
      return gateway;
    },
    services,
    async crashAndRestart(name) {
      const crashed = name === 'gateway' ? gateway : services[name];
      crashed.child.kill('SIGKILL');
      await crashed.exited;
      const restarted = name === 'gateway' ? (gateway = startGateway(gatewayPort)) : (services[name] = start(name));
      await waitUntilReady(restarted);
      return restarted;
    },
    stop: async () => {
      await Promise.all(all().map((service) => service.stop()));
      // The SQLite files and outboxes of a finished stack are of no more use: /tmp stays clean across runs.
      rmSync(cwd, { recursive: true, force: true });
    },
    async startGatewayReplica() {
      const replica = startGateway(await freePort());
      replicas.push(replica);
      await waitUntilReady(replica);
      return replica;
    },
  };
}
