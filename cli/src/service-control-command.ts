import { askSupervisor, controlSocketPath, SupervisorNotRunningError, type ControlAnswer, type ControlRefusal, type ControlRequest } from './control-channel.js';
import { exampleModules } from './modules-command.js';
import { runFilesFor, runningSupervisorPid } from './run-files.js';
import { coreServices } from './service-catalog.js';

/** Every name `lift stop` and `lift start` may be given: the core services and the example modules. */
export const controllableNames: readonly string[] = [...coreServices.map((entry) => entry.name), ...exampleModules.map((module) => module.name)];

/**
 * `lift stop <service>` / `lift start <service>`: asks the running `lift up` (attached or
 * detached) over its control channel. Exit 0 when done (stopped; started and ready), 1 when
 * nothing runs or the service did not become ready, 2 for a name that is no service.
 */
export async function serviceControlCommand(home: string, command: 'stop' | 'start', names: readonly string[], readyTimeoutMs: number): Promise<number> {
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
  const request: ControlRequest = { command, service: name, ...(command === 'start' ? { timeoutMs: readyTimeoutMs } : {}) };
  let answer: ControlAnswer | ControlRefusal;
  try {
    answer = await askSupervisor(controlSocketPath(home), request, readyTimeoutMs + 30_000);
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
