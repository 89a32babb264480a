import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from './service-process.js';

export const coreServiceNames = ['auth', 'billing', 'memory', 'observability', 'registry'] as const;

export interface PlatformStack {
  /** The shared working directory: data/ (the SQLite files, the mail folder) is here. */
  readonly cwd: string;
  readonly gateway: ServiceProcess;
  readonly services: Readonly<Record<(typeof coreServiceNames)[number], ServiceProcess>>;
  stop(): Promise<void>;
}

/**
 * The six services as real processes on free ports, sharing one working directory (one data/
 * folder) as under `lift up`, with the gateway pointed at the other five.
 */
export async function startPlatformStack(env: Record<string, string> = {}): Promise<PlatformStack> {
  // A free port is free when asked, not when the service binds it: another suite's process may
  // take it in between (EADDRINUSE). Then the whole stack starts again on fresh ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startPlatformStackOnce(env);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startPlatformStackOnce(env: Record<string, string>): Promise<PlatformStack> {
  const cwd = mkdtempSync(join(tmpdir(), 'lift-stack-'));
  // Every service knows where the gateway is, as under `lift up`: auth delivers revocations there.
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const ports = Object.fromEntries(await Promise.all(coreServiceNames.map(async (name) => [name, await freePort()] as const))) as Record<(typeof coreServiceNames)[number], number>;
  // And where each other service is, as `lift up` tells them: memory verifies tokens with auth's
  // keys and asks billing for limits, billing asks auth, and so on.
  const upstreamUrls = Object.fromEntries(coreServiceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, `http://127.0.0.1:${ports[name]}`]));
  const common = { GATEWAY_URL: gatewayUrl, ...upstreamUrls, ...env };
  const services = Object.fromEntries(coreServiceNames.map((name) => [name, startServiceProcess({ name, port: ports[name], cwd, env: common })])) as Record<(typeof coreServiceNames)[number], ServiceProcess>;
  const gateway = startServiceProcess({ name: 'gateway', port: gatewayPort, cwd, env: common });
  const all = [gateway, ...Object.values(services)];
  try {
    await Promise.all(all.map((service) => waitUntilReady(service)));
  } catch (error) {
    await Promise.all(all.map((service) => service.stop()));
    throw error;
  }
  return { cwd, gateway, services, stop: async () => void (await Promise.all(all.map((service) => service.stop()))) };
}
