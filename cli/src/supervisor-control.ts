import type { ControlAnswer, ControlHandler, ControlRefusal } from './control-channel.js';
import { instancesOf, localUrl, type ServiceInstance } from './instance-layout.js';
import type { LogSinks } from './log-sinks.js';
import { exampleModules } from './modules-command.js';
import { waitUntilReady } from './probe.js';
import { gatewayBalanceView } from './gateway-balance-view.js';
import { fullRestart, rollingRestart, type RestartSteps, type RestartTarget } from './service-restart.js';
import type { Supervisor } from './supervisor.js';

export interface SupervisorControlOptions {
  readonly supervisor: Supervisor;
  readonly sinks: LogSinks;
  /** Every process of the core services this `lift up` runs. */
  readonly layout: readonly ServiceInstance[];
  /** How long `lift stop` gives a process between SIGTERM and SIGKILL. */
  readonly stopDeadlineMs: number;
  readonly isStopping: () => boolean;
  readonly say: (line: string) => void;
}

/**
 * What the control channel (`lift stop`, `lift start`, `lift restart`, `lift status`) asks of a
 * running `lift up`. A service's name stands for all its instances.
 */
export function supervisorControl(options: SupervisorControlOptions): ControlHandler {
  const { supervisor, layout, isStopping, say } = options;
  const balance = gatewayBalanceView(layout.find((instance) => instance.service === 'gateway')?.url, isStopping);
  // One stop, start or restart of a service at a time: a second rolling restart beside the first
  // would stop the instance the first just relies on.
  const busy = new Set<string>();
  return async (request): Promise<ControlAnswer | ControlRefusal> => {
    if (request.command === 'status') return handle(request);
    const name = request.service as string;
    if (busy.has(name)) return { ok: false, error: 'failed', detail: `a stop, start or restart of ${name} is in progress; try again when it is done` };
    busy.add(name);
    try {
      return await handle(request);
    } finally {
      busy.delete(name);
    }
  };

  async function handle(request: Parameters<ControlHandler>[0]): Promise<ControlAnswer | ControlRefusal> {
    if (request.command === 'status') {
      return { ok: true, pid: process.pid, services: supervisor.states(), instances: layout, logShipping: options.sinks.shipping() ?? null };
    }
    const name = request.service as string;
    const targets = targetsOf(name, layout, supervisor.names());
    if (targets.length === 0) {
      const names = [...new Set([...layout.map((instance) => instance.service), ...supervisor.names().filter((process) => !layout.some((instance) => instance.name === process))])];
      return { ok: false, error: 'unknown-service', detail: `this lift up runs ${names.join(', ')}`, services: names };
    }
    if (isStopping()) return { ok: false, error: 'failed', detail: 'the platform is stopping' };
    const timeoutMs = request.timeoutMs ?? 60_000;
    const instances = targets.map((target) => target.name);
    if (request.command === 'stop') {
      const results = await Promise.all(instances.map((instance) => supervisor.stopService(instance, options.stopDeadlineMs)));
      const result = results.every((one) => one === 'already-stopped') ? 'already-stopped' : 'stopped';
      if (result === 'stopped') say(`"lift start ${name}" starts ${name} again`);
      return { ok: true, result, instances };
    }
    if (request.command === 'start') {
      const results = await Promise.all(instances.map((instance) => supervisor.startService(instance)));
      const probes = await waitUntilReady(targets, timeoutMs, isStopping);
      const notReady = probes.find((probe) => !probe.ready);
      return { ok: true, result: results.includes('started') ? 'started' : 'already-running', instances, ready: notReady === undefined, ...(notReady ? { reason: `${notReady.name}: ${notReady.reason ?? 'no answer'}` } : {}) };
    }
    const why = request.rolling === true ? 'lift restart --rolling' : 'lift restart';
    const steps: RestartSteps = {
      stop: (instance) => supervisor.stopService(instance, options.stopDeadlineMs, why),
      start: (instance) => supervisor.startService(instance, why),
      waitUntilReady: (some, ms) => waitUntilReady(some, ms, isStopping),
      // The gateway names an instance by the host and port it was given (instance-environment.ts).
      waitUntilServed: (some, ms) => balance.waitUntilServed(name, some.map((target) => `127.0.0.1:${new URL(target.url).port}`), ms),
    };
    const outcome = request.rolling === true ? await rollingRestart(targets, steps, timeoutMs) : await fullRestart(targets, steps, timeoutMs);
    if (outcome.failed) say(`${why} ${name}: ${outcome.failed.name} is not ready after ${timeoutMs} ms (${outcome.failed.reason}); ${request.rolling === true ? 'the instances after it were not restarted' : 'it keeps being supervised'}`);
    return { ok: true, result: 'restarted', instances, ...outcome };
  }
}

/** The processes a name stands for: a core service's instances, or an example module. */
function targetsOf(name: string, layout: readonly ServiceInstance[], supervised: readonly string[]): RestartTarget[] {
  const instances = instancesOf(layout, name);
  if (instances.length > 0) return instances.map((instance) => ({ name: instance.name, url: instance.url }));
  const module = exampleModules.find((candidate) => candidate.name === name);
  return module && supervised.includes(name) ? [{ name, url: localUrl(module.port) }] : [];
}
