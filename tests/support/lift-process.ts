import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { listening } from './free-port.js';
import { repositoryRoot } from './service-process.js';

export interface LiftRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The real `lift` command on a private home and ports of its own (LIFT_PORT_BASE). Asynchronous,
 * so that a test's load or browser keeps running while lift waits.
 */
export function liftIn(home: string, portBase: () => number): (...args: string[]) => Promise<LiftRun> {
  return (...args) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [join(repositoryRoot, 'cli/bin/lift.js'), ...args], { cwd: home, env: { ...process.env, LIFT_HOME: home, LIFT_PORT_BASE: String(portBase()) } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
}

/** A base whose gateway, five services and second instances are all free (the seed's 8000 block is another suite's). */
export async function freePortBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    // Below Linux's ephemeral range (32768–60999): a port there can be taken as the source port of
    // any outgoing connection of the tests running alongside, and a service then fails to listen
    // (CI once saw observability not start on 41004).
    const base = 20_000 + 1_000 * Math.floor(Math.random() * 12);
    const ports = [0, 1, 2, 3, 4, 5, 101].map((offset) => base + offset);
    if (!(await Promise.all(ports.map(listening))).some(Boolean)) return base;
  }
  throw new Error('no free port block found');
}
