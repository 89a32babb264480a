import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Supervisor } from '../src/supervisor.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const flaky = fileURLToPath(new URL('./fixtures/flaky-process.mjs', import.meta.url));

describe('the supervisor', () => {
  it('prefixes output, restarts a crashed process with growing delays, and stops it gracefully', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const said: string[] = [];
    const seen: string[] = [];
    const supervisor = new Supervisor({
      services: [{ name: 'flaky', entry: flaky, env: { PATH: process.env.PATH } }],
      cwd: scratch('lift-supervisor-'),
      output,
      say: (line) => said.push(line),
      onLine: (service, line) => seen.push(`${service}: ${line}`),
      firstRestartDelayMs: 20,
    });
    supervisor.start();
    await expect.poll(() => printed, { timeout: 10_000 }).toContain('flaky    | start 3');
    expect(said).toEqual(['flaky exited (code 1); restarting in 20 ms', 'flaky exited (code 1); restarting in 40 ms']);
    expect(printed).toContain('flaky    | start 1\nflaky    | partial line without newline\n');
    expect(seen).toEqual(expect.arrayContaining(['flaky: start 1', 'flaky: partial line without newline']));
    expect(supervisor.pids().flaky).toBeGreaterThan(0);

    await supervisor.stop(5_000);
    await expect.poll(() => printed).toContain('flaky    | got SIGTERM');
    expect(said).toHaveLength(2);
  });
});
