import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from './service-process.js';

export const coreServiceNames = ['auth', 'billing', 'memory', 'observability', 'registry'] as const;

export interface PlatformStack {
  readonly gateway: ServiceProcess;
  readonly services: Readonly<Record<(typeof coreServiceNames)[number], ServiceProcess>>;
  stop(): Promise<void>;
}

/**
 * The six services as real processes on free ports, sharing one working directory (one data/
 * folder) as under `lift up`, with the gateway pointed at the other five.
 */
export async function startPlatformStack(env: Record<string, string> = {}): Promise<PlatformStack> {
  const cwd = mkdtempSync(join(tmpdir(), 'lift-stack-'));
  // Every service knows where the gateway is, as under `lift up`: auth delivers revocations there.
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const common = { GATEWAY_URL: gatewayUrl, ...env };
  const entries = await Promise.all(
    coreServiceNames.map(async (name) => [name, startServiceProcess({ name, port: await freePort(), cwd, env: common })] as const),
  );
  const services = Object.fromEntries(entries) as Record<(typeof coreServiceNames)[number], ServiceProcess>;
  const upstreamUrls = Object.fromEntries(entries.map(([name, service]) => [`${name.toUpperCase()}_SERVICE_URL`, service.url]));
  const gateway = startServiceProcess({ name: 'gateway', port: gatewayPort, cwd, env: { ...common, ...upstreamUrls } });
  const all = [gateway, ...Object.values(services)];
  try {
    await Promise.all(all.map((service) => waitUntilReady(service)));
  } catch (error) {
    await Promise.all(all.map((service) => service.stop()));
    throw error;
  }
  return { gateway, services, stop: async () => void (await Promise.all(all.map((service) => service.stop()))) };
}
