import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a running `lift up` leaves its pid and its services' pids, under `<root>/data/run`. */
export interface RunFiles {
  readonly supervisorPidFile: string;
  readonly servicesFile: string;
  readonly logFile: string;
}

export function runFilesFor(root: string): RunFiles {
  return {
    supervisorPidFile: join(root, 'data', 'run', 'lift.pid'),
    servicesFile: join(root, 'data', 'run', 'services.json'),
    logFile: join(root, 'data', 'logs', 'lift.log'),
  };
}

/** data/ holds the services' databases and secrets: only its owner may list or enter it (as the kit makes it). */
export const privateDirectoryMode = 0o700;

export function writeRunFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: privateDirectoryMode });
  writeFileSync(path, content);
}

/** The pid of a `lift up` that is still running, if any (a stale pid file is ignored). */
export function runningSupervisorPid(files: RunFiles): number | undefined {
  if (!existsSync(files.supervisorPidFile)) return undefined;
  const pid = Number(readFileSync(files.supervisorPidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function removeRunFiles(files: RunFiles): void {
  rmSync(files.supervisorPidFile, { force: true });
  rmSync(files.servicesFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
