import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor, UnknownSupervisedServiceError } from '../src/supervisor.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const steady = fileURLToPath(new URL('./fixtures/steady-process.mjs', import.meta.url));
const running: Supervisor[] = [];
afterEach(async () => {
  for (const supervisor of running.splice(0)) await supervisor.stop(2_000);
});

function supervise(env: Record<string, string> = {}) {
  const said: string[] = [];
  const errors: string[] = [];
  const lines: string[] = [];
  const supervisor = new Supervisor({
    services: [
      { name: 'registry', entry: steady, env: { PATH: process.env.PATH, ...env } },
      { name: 'billing', entry: steady, env: { PATH: process.env.PATH } },
    ],
    cwd: scratch('lift-supervisor-'),
    output: new PassThrough().resume(),
    say: (line) => said.push(line),
    onErrorLine: (service, line) => errors.push(`${service}: ${line}`),
    onLine: (service, line) => lines.push(`${service}: ${line}`),
    firstRestartDelayMs: 10,
  });
  running.push(supervisor);
  supervisor.start();
  return { supervisor, said, errors, lines };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stopping and starting one supervised service', () => {
  it('stops it (answering once it has exited), does not restart it, and starts it again on request', async () => {
    const { supervisor, said, errors } = supervise();
    await expect.poll(() => supervisor.states().every((state) => state.state === 'running')).toBe(true);
    const pid = supervisor.pids().registry as number;
    expect(await supervisor.stopService('registry', 2_000)).toBe('stopped');
    expect(alive(pid)).toBe(false);
    expect(supervisor.states()).toEqual([
      { name: 'registry', state: 'stopped', restarts: 0 },
      { name: 'billing', state: 'running', pid: supervisor.pids().billing, restarts: 0 },
    ]);
    // Well past the restart delay: still stopped, nothing said about a restart.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(supervisor.states()[0]?.state).toBe('stopped');
    expect(said.filter((line) => line.includes('restarting'))).toEqual([]);
    expect(await supervisor.stopService('registry', 2_000)).toBe('already-stopped');

    expect(await supervisor.startService('registry')).toBe('started');
    expect(supervisor.states()[0]).toMatchObject({ state: 'running', pid: expect.any(Number) });
    expect(supervisor.pids().registry).not.toBe(pid);
    expect(await supervisor.startService('registry')).toBe('already-running');
    await expect.poll(() => errors).toContain('registry: a line on stderr');
  });

  it('kills a service that ignores SIGTERM once the deadline passes', async () => {
    const { supervisor, said, lines } = supervise({ STUBBORN: '1' });
    // Its SIGTERM handler is in place once it has said it is up.
    await expect.poll(() => lines.some((line) => line.startsWith('registry: up'))).toBe(true);
    const pid = supervisor.pids().registry as number;
    expect(await supervisor.stopService('registry', 300)).toBe('stopped');
    expect(alive(pid)).toBe(false);
    expect(said).toContain('registry did not stop within 300 ms; killing it');
  });

  it('names the services it runs when asked for another', async () => {
    const { supervisor } = supervise();
    await expect(supervisor.stopService('../x', 1_000)).rejects.toBeInstanceOf(UnknownSupervisedServiceError);
    await expect(supervisor.startService('gateway')).rejects.toThrow('choose from registry, billing');
  });
});
