import { askSupervisor, controlSocketPath } from './control-channel.js';
import type { LogShippingStats } from './log-shipper.js';
import { installationSettings } from './installation-settings.js';
import { instanceLayout, parsePortBase, serviceOfProcess, type ServiceInstance } from './instance-layout.js';
import { coreServices } from './service-catalog.js';
import { probeService, type ServiceProbe } from './probe.js';
import type { SupervisedState } from './supervisor.js';
import { formatTable } from './table.js';

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
 * A running `lift up` adds what only it knows: the instances it runs (`auth`, `auth#2` …, each
 * probed on its own port, with its pid in --json), which were stopped with `lift stop`, and how
 * log shipping goes (lines shipped, waiting, dropped). Without one, the six services are probed
 * where LIFT_PORT_BASE (default 8000) puts them.
 */
export async function statusCommand(json: boolean, home: string): Promise<number> {
  const supervisor = await supervisorStatus(home);
  const layout = supervisor?.instances ?? instanceLayout(coreServices, new Map(), parsePortBase(installationSettings(home, process.env).LIFT_PORT_BASE));
  const probes = await Promise.all(layout.map((instance) => probeService(instance.name, instance.url)));
  const states = new Map(supervisor?.services.map((service) => [service.name, service]));
  const shown = probes.map((probe) => {
    const state = states.get(probe.name);
    const pid = state?.pid !== undefined ? { pid: state.pid } : {};
    const service = serviceOfProcess(probe.name);
    return state?.state === 'stopped' && !probe.alive ? { ...probe, stopped: true, reason: `stopped with "lift stop"; "lift start ${service}" starts it` } : { ...probe, ...pid };
  });
  process.stdout.write(json ? `${JSON.stringify(shown, null, 2)}\n` : `${statusTable(shown)}\n`);
  const shipping = supervisor?.logShipping;
  if (!json && shipping) {
    process.stdout.write(`\nlog shipping to observability: ${shipping.shipped} lines shipped, ${shipping.queued} waiting, ${shipping.dropped} dropped, ${shipping.rejected} refused${shipping.lastError ? ` (last error: ${shipping.lastError})` : ''}\n`);
    if (shipping.dropped > 0) process.stdout.write(`lift: ${shipping.dropped} log lines were dropped before observability took them; data/logs/<service>.log has every line\n`);
  }
  return shown.every((probe) => probe.ready) ? 0 : 1;
}

/** What the running supervisor says of its processes, or undefined when none answers. */
interface SupervisorStatus {
  readonly services: SupervisedState[];
  /** Absent from a lift up started by an older lift. */
  readonly instances?: ServiceInstance[];
  readonly logShipping: LogShippingStats | null;
}

async function supervisorStatus(home: string): Promise<SupervisorStatus | undefined> {
  try {
    const answer = await askSupervisor(controlSocketPath(home), { command: 'status' }, 2_000);
    return answer.ok ? (answer as unknown as SupervisorStatus) : undefined;
  } catch {
    return undefined;
  }
}
