import { afterEach, describe, expect, it, vi } from 'vitest';
import { controlSocketPath, openControlChannel, type ControlAnswer, type ControlRefusal, type ControlRequest } from '../src/control-channel.js';
import { runFilesFor, writeRunFile } from '../src/run-files.js';
import { serviceControlCommand } from '../src/service-control-command.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const close of closers.splice(0)) await close();
});

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => Boolean(out.push(String(chunk))));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => Boolean(err.push(String(chunk))));
  return { out, err };
}

/** A home where a supervisor (this test process, standing in for it) answers on the control socket. */
async function runningHome(answer: (request: ControlRequest) => ControlAnswer | ControlRefusal) {
  const home = scratch('lift-control-');
  writeRunFile(runFilesFor(home).supervisorPidFile, `${process.pid}\n`);
  const requests: ControlRequest[] = [];
  const channel = await openControlChannel(controlSocketPath(home), async (request) => {
    requests.push(request);
    return answer(request);
  });
  closers.push(() => channel.close());
  return { home, requests };
}

describe('lift stop and lift start', () => {
  it('refuses a name that is no service with exit 2 and the list, without asking the supervisor', async () => {
    const { home, requests } = await runningHome(() => ({ ok: true }));
    const { err } = captured();
    expect(await serviceControlCommand(home, 'stop', ['../x'], { readyTimeoutMs: 1_000, rolling: false })).toBe(2);
    expect(await serviceControlCommand(home, 'start', [], { readyTimeoutMs: 1_000, rolling: false })).toBe(2);
    expect(err.join('')).toContain('unknown service "../x"; choose from auth, billing, memory, observability, registry, gateway, template');
    expect(requests).toEqual([]);
  });

  it('says that nothing runs (exit 1) when no supervisor is alive', async () => {
    const { err } = captured();
    expect(await serviceControlCommand(scratch('lift-control-'), 'stop', ['registry'], { readyTimeoutMs: 1_000, rolling: false })).toBe(1);
    expect(err.join('')).toContain('nothing is running');
  });

  it('passes the readiness timeout to start, and exits 1 when the service is not ready in time', async () => {
    const { home, requests } = await runningHome((request) => (request.command === 'start' ? { ok: true, result: 'started', ready: false, reason: 'not running (connection refused)' } : { ok: true, result: 'stopped' }));
    const { out, err } = captured();
    expect(await serviceControlCommand(home, 'stop', ['registry'], { readyTimeoutMs: 1_000, rolling: false })).toBe(0);
    expect(await serviceControlCommand(home, 'start', ['registry'], { readyTimeoutMs: 1_500, rolling: false })).toBe(1);
    expect(requests).toEqual([{ command: 'stop', service: 'registry' }, { command: 'start', service: 'registry', timeoutMs: 1_500 }]);
    expect(out.join('')).toContain('registry stopped');
    expect(err.join('')).toContain('registry started but is not ready after 1500 ms: not running (connection refused)');
  });

  it('asks for a rolling restart with the timeout, and exits 1 naming the instance that was not ready', async () => {
    const { home, requests } = await runningHome(() => ({ ok: true, result: 'restarted', ready: false, restarted: ['auth', 'auth#2'], failed: { name: 'auth#2', reason: 'not running (connection refused)' } }));
    const { err } = captured();
    expect(await serviceControlCommand(home, 'restart', ['auth'], { readyTimeoutMs: 2_000, rolling: true })).toBe(1);
    expect(requests).toEqual([{ command: 'restart', service: 'auth', timeoutMs: 2_000, rolling: true }]);
    expect(err.join('')).toContain('restart auth: auth#2 is not ready after 2000 ms: not running (connection refused); the instances after it were not restarted');
  });

  it('says which instances a restart restarted once they are ready', async () => {
    const { home, requests } = await runningHome(() => ({ ok: true, result: 'restarted', ready: true, restarted: ['memory', 'memory#2'] }));
    const { out } = captured();
    expect(await serviceControlCommand(home, 'restart', ['memory'], { readyTimeoutMs: 1_000, rolling: false })).toBe(0);
    expect(requests).toEqual([{ command: 'restart', service: 'memory', timeoutMs: 1_000, rolling: false }]);
    expect(out.join('')).toContain('memory restarted all at once (memory, memory#2); ready');
  });

  it('warns that a rolling restart of a single instance was not without failed requests', async () => {
    const { home } = await runningHome((request) => ({ ok: true, result: 'restarted', ready: true, restarted: request.service === 'auth' ? ['auth'] : ['memory', 'memory#2'] }));
    const { out, err } = captured();
    expect(await serviceControlCommand(home, 'restart', ['auth'], { readyTimeoutMs: 1_000, rolling: true })).toBe(0);
    expect(out.join('')).toContain('auth restarted one at a time (auth); ready');
    expect(err.join('')).toContain('auth runs a single instance, so requests to it failed while it restarted');
    expect(err.join('')).toContain('lift up --instances auth=2');
    err.length = 0;
    expect(await serviceControlCommand(home, 'restart', ['memory'], { readyTimeoutMs: 1_000, rolling: true })).toBe(0);
    expect(err).toEqual([]);
  });

  it('exits 2 with the supervisor\'s list when this lift up does not run that service', async () => {
    const { home } = await runningHome(() => ({ ok: false, error: 'unknown-service', detail: 'this lift up runs auth, registry', services: ['auth', 'registry'] }));
    const { err } = captured();
    expect(await serviceControlCommand(home, 'stop', ['billing'], { readyTimeoutMs: 1_000, rolling: false })).toBe(2);
    expect(err.join('')).toContain('stop billing: this lift up runs auth, registry');
  });
});
