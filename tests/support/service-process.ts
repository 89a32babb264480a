import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then wait for the exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | string>;
}

export interface StartOptions {
  readonly name: string;
  /** A bundled service (`dist/services/<name>/main.js`) unless a script is given. */
  readonly script?: string;
  readonly port: number;
  readonly env?: Record<string, string>;
  /** The working directory: `.env.local` and `data/` are looked up here. A fresh one by default. */
  readonly cwd?: string;
}

/** Starts a service as its own process, the way `lift up` does. */
export function startServiceProcess(options: StartOptions): ServiceProcess {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), `lift-${options.name}-`));
  // tsx is resolved from the repository, not from the (temporary) working directory.
  const args = options.script ? ['--import', pathToFileURL(join(repositoryRoot, 'node_modules/tsx/dist/loader.mjs')).href, options.script] : [join(repositoryRoot, 'dist', 'services', options.name, 'main.js')];
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    name: options.name,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    child,
    output: () => printed,
    exited,
    stop: async (timeoutMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.kill('SIGTERM');
        const result = await exited;
        clearTimeout(killer);
        return result;
      }
      return exited;
    },
  };
}

/**
 * How long a process may take to start: 20 s alone, 60 s under CI, where every suite starts its
 * processes on the same two cores at once (a slow start there is load, not a defect).
 */
const startupBudgetMs = process.env.CI ? 60_000 : 20_000;

/** Polls /ready until it answers 200; fails with the process's output if it never does. */
export async function waitUntilReady(service: ServiceProcess, timeoutMs = startupBudgetMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A process killed by a signal has no exit code, only its signal.
    const ended = service.child.exitCode ?? service.child.signalCode;
    if (ended !== null) throw new Error(`${service.name} exited with ${ended}:\n${service.output()}`);
    try {
      const response = await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms:\n${service.output()}`);
}
