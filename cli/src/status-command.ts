import { askSupervisor, controlSocketPath } from './control-channel.js';
import type { LogShippingStats } from './log-shipper.js';
import { coreServices } from './service-catalog.js';
import { probeService, type ServiceProbe } from './probe.js';
import type { SupervisedState } from './supervisor.js';
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
      probe.stopped ? 'stopped' : probe.alive ? 'up' : 'down',
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

/**
 * `lift status`: exit code 0 when every service is ready, 1 otherwise, so scripts can rely on it.
 * A running `lift up` adds what only it knows: which services were stopped with `lift stop`, and
 * how log shipping goes (lines shipped, waiting, dropped).
 */
export async function statusCommand(json: boolean, home: string): Promise<number> {
  const [probes, supervisor] = await Promise.all([Promise.all(coreServices.map((service) => probeService(service.name, serviceUrl(service.port)))), supervisorStatus(home)]);
  const stopped = new Set(supervisor?.services.filter((service) => service.state === 'stopped').map((service) => service.name));
  const shown = probes.map((probe) => (stopped.has(probe.name) && !probe.alive ? { ...probe, stopped: true, reason: `stopped with "lift stop"; "lift start ${probe.name}" starts it` } : probe));
  process.stdout.write(json ? `${JSON.stringify(shown, null, 2)}\n` : `${statusTable(shown)}\n`);
  const shipping = supervisor?.logShipping;
  if (!json && shipping) {
    process.stdout.write(`\nlog shipping to observability: ${shipping.shipped} lines shipped, ${shipping.queued} waiting, ${shipping.dropped} dropped, ${shipping.rejected} refused${shipping.lastError ? ` (last error: ${shipping.lastError})` : ''}\n`);
    if (shipping.dropped > 0) process.stdout.write(`lift: ${shipping.dropped} log lines were dropped before observability took them; data/logs/<service>.log has every line\n`);
  }
  return shown.every((probe) => probe.ready) ? 0 : 1;
}

/** What the running supervisor says of its processes, or undefined when none answers. */
async function supervisorStatus(home: string): Promise<{ services: SupervisedState[]; logShipping: LogShippingStats | null } | undefined> {
  try {
    const answer = await askSupervisor(controlSocketPath(home), { command: 'status' }, 2_000);
    return answer.ok ? (answer as unknown as { services: SupervisedState[]; logShipping: LogShippingStats | null }) : undefined;
  } catch {
    return undefined;
  }
}
