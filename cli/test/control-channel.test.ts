import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { askSupervisor, controlSocketPath, openControlChannel, SupervisorNotRunningError, type ControlHandler } from '../src/control-channel.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

const abandonedSocket = fileURLToPath(new URL('./fixtures/abandoned-socket.mjs', import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function home(): string {
  return scratch('lift-ctl-');
}

const echo: ControlHandler = async (request) => (request.service === 'nope' ? { ok: false, error: 'unknown-service', detail: 'this lift up runs registry', services: ['registry'] } : { ok: true, echoed: request });

async function open(path: string, handler: ControlHandler = echo) {
  const channel = await openControlChannel(path, handler);
  closers.push(() => channel.close());
  return channel;
}

/** Sends raw bytes and returns the answer line, as a hostile or broken client would. */
function raw(path: string, text: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(JSON.parse(received) as Record<string, unknown>));
    socket.on('error', reject);
  });
}

describe('the control channel of a running lift up', () => {
  it('answers one JSON request per connection, on a socket only its owner may open, in a private directory', async () => {
    const path = controlSocketPath(home());
    await open(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(await askSupervisor(path, { command: 'stop', service: 'registry' }, 2_000)).toEqual({ ok: true, echoed: { command: 'stop', service: 'registry' } });
    expect(await askSupervisor(path, { command: 'start', service: 'nope' }, 2_000)).toMatchObject({ ok: false, error: 'unknown-service', services: ['registry'] });
  });

  it('refuses bad JSON, unknown commands, wrong types and oversized requests without calling the handler', async () => {
    const path = controlSocketPath(home());
    const seen: unknown[] = [];
    await open(path, async (request) => {
      seen.push(request);
      return { ok: true };
    });
    expect(await raw(path, '{"command": "stop", \n')).toMatchObject({ ok: false, error: 'bad-request', detail: 'the request is not JSON' });
    expect(await raw(path, '["stop"]\n')).toMatchObject({ ok: false, error: 'bad-request' });
    expect(await raw(path, '{"command":"reboot","service":"registry"}\n')).toMatchObject({ ok: false, error: 'unknown-command', commands: ['stop', 'start', 'restart', 'status'] });
    expect(await raw(path, '{"command":"__proto__"}\n')).toMatchObject({ ok: false, error: 'unknown-command' });
    expect(await raw(path, '{"command":"stop","service":{"name":"registry"}}\n')).toMatchObject({ ok: false, error: 'bad-request', detail: 'service must be a string' });
    expect(await raw(path, '{"command":"stop"}\n')).toMatchObject({ ok: false, error: 'bad-request', detail: 'stop needs a service' });
    expect(await raw(path, '{"command":"restart","service":"auth","rolling":"yes"}\n')).toMatchObject({ ok: false, error: 'bad-request', detail: 'rolling must be true or false' });
    expect(await raw(path, '{"command":"start","service":"registry","timeoutMs":-1}\n')).toMatchObject({ ok: false, error: 'bad-request' });
    expect(await raw(path, 'x'.repeat(10_000))).toMatchObject({ ok: false, error: 'bad-request', detail: expect.stringContaining('at most 4096 bytes') });
    expect(seen).toEqual([]);
  });

  it('answers a failing handler with its message, and goes on serving', async () => {
    const path = controlSocketPath(home());
    await open(path, async (request) => {
      if (request.command === 'stop') throw new Error('the process would not die');
      return { ok: true };
    });
    expect(await askSupervisor(path, { command: 'stop', service: 'registry' }, 2_000)).toEqual({ ok: false, error: 'failed', detail: 'the process would not die' });
    expect(await askSupervisor(path, { command: 'status' }, 2_000)).toEqual({ ok: true });
  });

  it('takes over a socket left by a killed supervisor, but never one a live supervisor answers on, nor a file that is no socket', async () => {
    const path = controlSocketPath(home());
    mkdirSync(join(path, '..'), { recursive: true });
    const killed = spawn(process.execPath, [abandonedSocket, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    await expect(openControlChannel(path, echo)).rejects.toThrow('another lift up answers on');
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(lstatSync(path).isSocket()).toBe(true);
    await expect(askSupervisor(path, { command: 'status' }, 2_000)).rejects.toBeInstanceOf(SupervisorNotRunningError);
    await open(path);
    expect(await askSupervisor(path, { command: 'status' }, 2_000)).toMatchObject({ ok: true });

    const other = controlSocketPath(home());
    mkdirSync(join(other, '..'), { recursive: true });
    writeFileSync(other, 'not a socket');
    await expect(openControlChannel(other, echo)).rejects.toThrow('is not a socket');
    expect(existsSync(other)).toBe(true);
  });

  it('removes its socket when it closes, and a client then hears that nothing runs', async () => {
    const path = controlSocketPath(home());
    const channel = await openControlChannel(path, echo);
    await channel.close();
    expect(existsSync(path)).toBe(false);
    await expect(askSupervisor(path, { command: 'status' }, 2_000)).rejects.toBeInstanceOf(SupervisorNotRunningError);
  });
});

describe('closing the control channel', () => {
  it('does not wait for a client that keeps its connection open', async () => {
    const path = controlSocketPath(home());
    const channel = await openControlChannel(path, echo);
    const idle = createConnection(path);
    await new Promise((resolve) => idle.once('connect', resolve));
    const started = Date.now();
    await channel.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    idle.destroy();
  });
});
