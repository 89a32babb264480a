import { askSupervisor, controlSocketPath, SupervisorNotRunningError, type ControlAnswer, type ControlRefusal, type ControlRequest } from './control-channel.js';
import { exampleModules } from './modules-command.js';
import { runFilesFor, runningSupervisorPid } from './run-files.js';
import { maxInstances } from './instance-layout.js';
import { coreServices } from './service-catalog.js';

/** Every name `lift stop` and `lift start` may be given: the core services and the example modules. */
export const controllableNames: readonly string[] = [...coreServices.map((entry) => entry.name), ...exampleModules.map((module) => module.name)];

export interface ServiceControlOptions {
  readonly readyTimeoutMs: number;
  /** `restart --rolling`: one instance at a time. */
  readonly rolling: boolean;
}

/**
 * `lift stop|start|restart <service>`: asks the running `lift up` (attached or detached) over its
 * control channel; the service's name stands for all its instances. Exit 0 when done (stopped;
 * started or restarted, and ready), 1 when nothing runs or the service did not become ready, 2
 * for a name that is no service.
 */
export async function serviceControlCommand(home: string, command: 'stop' | 'start' | 'restart', names: readonly string[], options: ServiceControlOptions): Promise<number> {
  const { readyTimeoutMs } = options;
  if (names.length !== 1) {
    process.stderr.write(`lift: usage: lift ${command} <service>; choose from ${controllableNames.join(', ')}\n`);
    return 2;
  }
  const name = names[0] as string;
  // Checked here before anything is sent: a name like "../x" never reaches the supervisor.
  if (!controllableNames.includes(name)) {
    process.stderr.write(`lift: unknown service ${JSON.stringify(name)}; choose from ${controllableNames.join(', ')}\n`);
    return 2;
  }
  if (runningSupervisorPid(runFilesFor(home)) === undefined) {
    process.stderr.write(`lift: nothing is running; start the platform with "lift up"\n`);
    return 1;
  }
  const request: ControlRequest = { command, service: name, ...(command !== 'stop' ? { timeoutMs: readyTimeoutMs } : {}), ...(command === 'restart' ? { rolling: options.rolling } : {}) };
  // A rolling restart waits for each instance in turn (and a stop of up to 15 s before each).
  const answerTimeoutMs = command === 'restart' && options.rolling ? (readyTimeoutMs + 30_000) * maxInstances : readyTimeoutMs + 30_000;
  let answer: ControlAnswer | ControlRefusal;
  try {
    answer = await askSupervisor(controlSocketPath(home), request, answerTimeoutMs);
  } catch (error) {
    if (error instanceof SupervisorNotRunningError) {
      process.stderr.write(`lift: the running lift up does not answer on ${controlSocketPath(home)} (started by an older lift?); "lift down" and "lift up" again\n`);
      return 1;
    }
    throw error;
  }
  if (!answer.ok) {
    process.stderr.write(`lift: ${command} ${name}: ${answer.detail}\n`);
    return answer.error === 'unknown-service' ? 2 : 1;
  }
  if (command === 'restart') return reportRestart(name, answer, readyTimeoutMs, options.rolling);
  if (command === 'stop') {
    process.stdout.write(answer.result === 'already-stopped' ? `lift: ${name} was already stopped\n` : `lift: ${name} stopped; "lift start ${name}" starts it again\n`);
    return 0;
  }
  const already = answer.result === 'already-running' ? ' (it was running)' : '';
  if (answer.ready === true) {
    process.stdout.write(`lift: ${name} is ready${already}\n`);
    return 0;
  }
  process.stderr.write(`lift: ${name} started${already} but is not ready after ${readyTimeoutMs} ms: ${String(answer.reason ?? 'no answer')}; "lift status" shows it\n`);
  return 1;
}

function reportRestart(name: string, answer: ControlAnswer, readyTimeoutMs: number, rolling: boolean): number {
  const restarted = (answer.restarted as string[] | undefined) ?? [];
  const how = rolling ? 'one at a time' : 'all at once';
  if (answer.ready === true) {
    process.stdout.write(`lift: ${name} restarted ${how} (${restarted.join(', ')}); ready\n`);
    // One instance has no other to carry its requests: the restart was not without downtime.
    if (rolling && restarted.length === 1) {
      process.stderr.write(`lift: ${name} runs a single instance, so requests to it failed while it restarted; for a restart without failed requests run it as several ("lift up --instances ${name}=2")\n`);
    }
    return 0;
  }
  const failed = answer.failed as { name: string; reason: string } | undefined;
  const left = rolling ? '; the instances after it were not restarted and keep running' : '';
  process.stderr.write(`lift: restart ${name}: ${failed?.name ?? name} is not ready after ${readyTimeoutMs} ms: ${failed?.reason ?? 'no answer'}${left}; "lift status" shows it\n`);
  return 1;
}
