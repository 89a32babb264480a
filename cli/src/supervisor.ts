import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { pipeWithPrefix } from './prefix-lines.js';

export interface SupervisedService {
  readonly name: string;
  readonly entry: string;
  /** Node options before the entry (e.g. a loader for a TypeScript entry). */
  readonly nodeArgs?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface SupervisorOptions {
  readonly services: readonly SupervisedService[];
  readonly cwd: string;
  readonly output: Writable;
  /** Lines about the services themselves (exits, restarts). */
  readonly say: (line: string) => void;
  readonly formatLine?: (line: string) => string;
  /** Sees each line a service writes to stdout, as written (`lift up` looks for notices in them). */
  readonly onLine?: (service: string, line: string) => void;
  /** Sees each line a service writes to stderr (crashes, Node's warnings: what its logger did not write). */
  readonly onErrorLine?: (service: string, line: string) => void;
  readonly colors?: boolean;
  readonly firstRestartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
  /** A process that stayed up this long is healthy again: its next crash restarts quickly. */
  readonly stableAfterMs?: number;
}

interface Supervised {
  readonly service: SupervisedService;
  child: ChildProcess | undefined;
  startedAt: number;
  restartDelayMs: number;
  restartTimer: NodeJS.Timeout | undefined;
  /** Stopped with `lift stop`: not restarted until `lift start`. */
  stoppedOnPurpose: boolean;
  /** A `lift stop` still waiting for the process to exit. */
  pendingStop: Promise<void> | undefined;
  restarts: number;
}

/** What the supervisor knows of one process, for `lift status`. */
export interface SupervisedState {
  readonly name: string;
  /** running: a process is up; restarting: it died and is waiting to be started again; stopped: by `lift stop`. */
  readonly state: 'running' | 'restarting' | 'stopped';
  readonly pid?: number;
  readonly restarts: number;
}

export class UnknownSupervisedServiceError extends Error {
  constructor(readonly known: readonly string[]) {
    super(`not supervised here; choose from ${known.join(', ')}`);
  }
}

const palette = [36, 35, 33, 32, 34, 31];

/**
 * Runs each service as its own Node process, prefixes its output, restarts it with exponential
 * backoff when it dies, and stops them all gracefully (SIGTERM, then SIGKILL after a deadline).
 */
export class Supervisor {
  private readonly options: SupervisorOptions;
  private readonly supervised: Supervised[];
  private stopping = false;
  private readonly width: number;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.width = Math.max(8, ...options.services.map((service) => service.name.length));
    this.supervised = options.services.map((service) => this.entryFor(service));
  }

  private entryFor(service: SupervisedService): Supervised {
    return { service, child: undefined, startedAt: 0, restartDelayMs: this.options.firstRestartDelayMs ?? 500, restartTimer: undefined, stoppedOnPurpose: false, pendingStop: undefined, restarts: 0 };
  }

  start(): void {
    this.supervised.forEach((entry, index) => this.launch(entry, index));
  }

  /** Starts one more process under supervision (a module, once the core is ready). */
  add(service: SupervisedService): void {
    const entry = this.entryFor(service);
    this.supervised.push(entry);
    this.launch(entry, this.supervised.length - 1);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.supervised.map((entry) => [entry.service.name, entry.child?.pid]));
  }

  names(): string[] {
    return this.supervised.map((entry) => entry.service.name);
  }

  states(): SupervisedState[] {
    return this.supervised.map((entry) => {
      const running = isRunning(entry.child);
      const state = entry.stoppedOnPurpose && !running ? 'stopped' : running ? 'running' : 'restarting';
      return { name: entry.service.name, state, ...(running && entry.child?.pid !== undefined ? { pid: entry.child.pid } : {}), restarts: entry.restarts };
    });
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.supervised.map((entry) => {
        clearTimeout(entry.restartTimer);
        return this.terminate(entry, timeoutMs);
      }),
    );
  }

  /**
   * `lift stop <service>`: SIGTERM, SIGKILL after the deadline; resolves once the process has
   * exited. The service stays stopped — not restarted — until `startService`.
   */
  async stopService(name: string, timeoutMs: number, why = 'lift stop'): Promise<'stopped' | 'already-stopped'> {
    const entry = this.entryNamed(name);
    const wasStopped = entry.stoppedOnPurpose && !isRunning(entry.child);
    entry.stoppedOnPurpose = true;
    clearTimeout(entry.restartTimer);
    entry.restartTimer = undefined;
    entry.pendingStop ??= this.terminate(entry, timeoutMs).finally(() => (entry.pendingStop = undefined));
    await entry.pendingStop;
    if (!wasStopped) this.options.say(`${name} stopped (${why})`);
    return wasStopped ? 'already-stopped' : 'stopped';
  }

  /** `lift start <service>`: starts a service stopped on purpose (after its stop has finished). */
  async startService(name: string, why = 'lift start'): Promise<'started' | 'already-running'> {
    const entry = this.entryNamed(name);
    if (entry.pendingStop) await entry.pendingStop;
    if (!entry.stoppedOnPurpose || this.stopping) return 'already-running';
    entry.stoppedOnPurpose = false;
    entry.restartDelayMs = this.options.firstRestartDelayMs ?? 500;
    this.options.say(`${name} starting (${why})`);
    this.launch(entry, this.supervised.indexOf(entry));
    return 'started';
  }

  private entryNamed(name: string): Supervised {
    const entry = this.supervised.find((candidate) => candidate.service.name === name);
    if (!entry) throw new UnknownSupervisedServiceError(this.names());
    return entry;
  }

  private terminate(entry: Supervised, timeoutMs: number): Promise<void> {
    const child = entry.child;
    if (!child || !isRunning(child)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => {
        this.options.say(`${entry.service.name} did not stop within ${timeoutMs} ms; killing it`);
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private launch(entry: Supervised, index: number): void {
    const { service } = entry;
    const child = spawn(process.execPath, [...nodeOptions(), ...(service.nodeArgs ?? []), service.entry], {
      cwd: this.options.cwd,
      env: service.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    entry.child = child;
    entry.startedAt = Date.now();
    const prefix = this.prefixFor(service.name, index);
    const { formatLine, onLine } = this.options;
    pipeWithPrefix(child.stdout, this.options.output, prefix, (line) => {
      onLine?.(service.name, line);
      return formatLine ? formatLine(line) : line;
    });
    const { onErrorLine } = this.options;
    pipeWithPrefix(child.stderr, this.options.output, prefix, (line) => {
      onErrorLine?.(service.name, line);
      return line;
    });
    child.on('exit', (code, signal) => {
      if (this.stopping || entry.stoppedOnPurpose || entry.child !== child) return;
      entry.restarts += 1;
      const ranMs = Date.now() - entry.startedAt;
      if (ranMs >= (this.options.stableAfterMs ?? 30_000)) entry.restartDelayMs = this.options.firstRestartDelayMs ?? 500;
      const delay = entry.restartDelayMs;
      entry.restartDelayMs = Math.min(delay * 2, this.options.maxRestartDelayMs ?? 30_000);
      this.options.say(`${service.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      entry.restartTimer = setTimeout(() => this.launch(entry, index), delay);
    });
  }

  private prefixFor(name: string, index: number): string {
    const label = `${name.padEnd(this.width)} | `;
    return this.options.colors ? `\u001b[${palette[index % palette.length]}m${label}\u001b[0m` : label;
  }
}

function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

// Source maps make stack traces point at the TypeScript, but loading them costs ~40 MB a
// process; LIFT_SOURCE_MAPS=1 turns them on when debugging.
function nodeOptions(): string[] {
  return process.env.LIFT_SOURCE_MAPS === '1' ? ['--enable-source-maps'] : [];
}
