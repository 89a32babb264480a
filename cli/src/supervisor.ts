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
    this.supervised = options.services.map((service) => ({
      service,
      child: undefined,
      startedAt: 0,
      restartDelayMs: options.firstRestartDelayMs ?? 500,
      restartTimer: undefined,
    }));
  }

  start(): void {
    this.supervised.forEach((entry, index) => this.launch(entry, index));
  }

  /** Starts one more process under supervision (a module, once the core is ready). */
  add(service: SupervisedService): void {
    const entry = { service, child: undefined, startedAt: 0, restartDelayMs: this.options.firstRestartDelayMs ?? 500, restartTimer: undefined };
    this.supervised.push(entry);
    this.launch(entry, this.supervised.length - 1);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.supervised.map((entry) => [entry.service.name, entry.child?.pid]));
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const running = this.supervised.filter((entry) => {
      clearTimeout(entry.restartTimer);
      return entry.child !== undefined && entry.child.exitCode === null && entry.child.signalCode === null;
    });
    await Promise.all(
      running.map(
        (entry) =>
          new Promise<void>((resolve) => {
            const child = entry.child as ChildProcess;
            const killTimer = setTimeout(() => {
              this.options.say(`${entry.service.name} did not stop within ${timeoutMs} ms; killing it`);
              child.kill('SIGKILL');
            }, timeoutMs);
            child.once('exit', () => {
              clearTimeout(killTimer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
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
    pipeWithPrefix(child.stderr, this.options.output, prefix);
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
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

// Source maps make stack traces point at the TypeScript, but loading them costs ~40 MB a
// process; LIFT_SOURCE_MAPS=1 turns them on when debugging.
function nodeOptions(): string[] {
  return process.env.LIFT_SOURCE_MAPS === '1' ? ['--enable-source-maps'] : [];
}
