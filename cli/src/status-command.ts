import { coreServices } from './service-catalog.js';
import { probeService, type ServiceProbe } from './probe.js';
import { formatTable } from './table.js';

export function serviceUrl(port: number): string {
  return `http://localhost:${port}`;
}

/** A table of what is up: the seed's health check over all services, done with readiness. */
export function statusTable(probes: readonly ServiceProbe[]): string {
  return formatTable(
    ['SERVICE', 'URL', 'HEALTH', 'READY', 'VERSION', 'UPTIME', 'NOTE'],
    probes.map((probe) => [
      probe.name,
      probe.url,
      probe.alive ? 'up' : 'down',
      probe.ready ? 'yes' : 'no',
      probe.version ?? '-',
      probe.uptimeSeconds === undefined ? '-' : formatUptime(probe.uptimeSeconds),
      probe.reason ?? '',
    ]),
  );
}

function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/** `lift status`: exit code 0 when every service is ready, 1 otherwise, so scripts can rely on it. */
export async function statusCommand(json: boolean): Promise<number> {
  const probes = await Promise.all(coreServices.map((service) => probeService(service.name, serviceUrl(service.port))));
  process.stdout.write(json ? `${JSON.stringify(probes, null, 2)}\n` : `${statusTable(probes)}\n`);
  return probes.every((probe) => probe.ready) ? 0 : 1;
}
