import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

const seedPorts = [8000, 8001, 8002, 8003, 8004, 8005];
const home = mkdtempSync(join(tmpdir(), 'lift-home-'));
const socketPath = join(home, 'data', 'run', 'lift.sock');

function lift(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'cli/bin/lift.js'), ...args], {
    cwd: home,
    env: { ...process.env, LIFT_HOME: home },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// `lift up` uses the seed's fixed ports; on a machine where something already holds them this
// suite cannot run, and says so.
const portsTaken = (await Promise.all(seedPorts.map(listening))).some(Boolean);

describe.skipIf(skipUnless(!portsTaken, 'the lift CLI suite', 'free ports 8000-8005'))('lift up --detach, status and down on the seed\'s ports', () => {
  let upOutput = '';
  beforeAll(async () => {
    // A control socket left behind by a supervisor that was killed (nothing removed it) must not
    // stop this lift up: it is found dead and replaced.
    mkdirSync(join(home, 'data', 'run'), { recursive: true, mode: 0o700 });
    const killed = spawn(process.execPath, [join(repositoryRoot, 'cli/test/fixtures/abandoned-socket.mjs'), socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    const up = lift('up', '--detach');
    if (up.code !== 0) throw new Error(`lift up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
    upOutput = up.stdout;
  });
  afterAll(() => {
    lift('down');
  });

  it('brings all six services to ready and prints what is up', () => {
    const status = lift('status');
    expect(status.code).toBe(0);
    for (const [name, port] of [['gateway', 8000], ['auth', 8001], ['billing', 8002], ['memory', 8003], ['observability', 8004], ['registry', 8005]] as const) {
      expect(status.stdout).toMatch(new RegExp(`^${name}\\s+http://localhost:${port}\\s+up\\s+yes\\s+0\\.1\\.0`, 'm'));
    }
  });

  it('answers through the gateway', async () => {
    const response = await fetch('http://127.0.0.1:8000/registry/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ service: 'registry' });
  });

  it('logs the generated platform admin in through the gateway', async () => {
    const settings = parseEnv(readFileSync(join(home, '.env.local'), 'utf8'));
    expect(settings.LIFT_ADMIN_EMAIL).toBe('admin@lift.local');
    expect(upOutput).toContain(`platform admin: admin@lift.local / ${settings.LIFT_ADMIN_PASSWORD}`);
    const response = await fetch('http://127.0.0.1:8000/auth/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: settings.LIFT_ADMIN_EMAIL, password: settings.LIFT_ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const session = (await response.json()) as { accessToken: string; organisationId: string };
    expect(session.organisationId).toBe('platform');
    const me = await fetch('http://127.0.0.1:8000/auth/v1/me', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(((await me.json()) as { permissions: string[] }).permissions).toContain('platform:admin');
  });

  it('keeps the services\' data under LIFT_HOME', () => {
    expect(existsSync(join(home, 'data', 'lift.auth.db'))).toBe(true);
    expect(existsSync(join(home, 'data', 'run', 'lift.pid'))).toBe(true);
  });

  it('refuses a second lift up while the first runs', () => {
    const again = lift('up', '--detach');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already running');
  });

  it('stops one service with lift stop: status says stopped, and the supervisor does not restart it until lift start', async () => {
    const stop = lift('stop', 'registry');
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('registry stopped');
    expect(await listening(8005)).toBe(false);
    // Several times the first restart delay (500 ms): a crashed service would be back by now.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await listening(8005)).toBe(false);
    const status = lift('status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^registry\s+http:\/\/localhost:8005\s+stopped\s+no\s.*lift start registry/m);
    expect(status.stdout).toMatch(/^auth\s+http:\/\/localhost:8001\s+up\s+yes/m);
    expect(status.stdout).toMatch(/^log shipping to observability: \d+ lines shipped, \d+ waiting, \d+ dropped/m);
    expect(lift('stop', 'registry').stdout).toContain('registry was already stopped');

    const start = lift('start', 'registry');
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain('registry is ready');
    expect(lift('status').code).toBe(0);
  });

  it('refuses names that are no service (exit 2, with the list) before asking the supervisor', () => {
    for (const name of ['../x', 'payments', '']) {
      const result = lift('stop', name);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toContain('choose from auth, billing, memory, observability, registry, gateway');
    }
  });

  it('answers bad JSON and unknown commands on its control socket with a refusal, and goes on serving', async () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    const ask = (text: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const socket = createConnection(socketPath);
        let answer = '';
        socket.on('connect', () => socket.write(text));
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('end', () => resolve(JSON.parse(answer) as Record<string, unknown>));
        socket.on('error', reject);
      });
    expect(await ask('{"command":\n')).toMatchObject({ ok: false, error: 'bad-request' });
    expect(await ask('{"command":"shutdown"}\n')).toMatchObject({ ok: false, error: 'unknown-command' });
    expect(await ask('{"command":"stop","service":"../x"}\n')).toMatchObject({ ok: false, error: 'unknown-service' });
    expect(await ask('{"command":"status"}\n')).toMatchObject({ ok: true, services: expect.arrayContaining([expect.objectContaining({ name: 'registry', state: 'running' })]) });
  });

  it('writes each service\'s lines to its own private log file, and lift logs reads them', () => {
    const file = join(home, 'data', 'logs', 'registry.log');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { service: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.service === 'registry')).toBe(true);
    expect(parseEnv(readFileSync(join(home, '.env.local'), 'utf8')).SERVICE_CLIENT_SECRETS).toMatch(/,log-shipper:[A-Za-z0-9_-]{32}$/);
    // From observability when its log API answers, from the files otherwise (said on stderr).
    const logs = lift('logs', 'registry', '--json', '--limit', '5');
    expect(logs.code, logs.stderr).toBe(0);
    const items = logs.stdout.trim().split('\n').map((line) => JSON.parse(line) as { service: string; msg: string });
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    expect(items.every((item) => item.service === 'registry')).toBe(true);
  });

  it('stops everything with lift down, after which status reports them down', async () => {
    const down = lift('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('stopped');
    expect((await Promise.all(seedPorts.map(listening))).some(Boolean)).toBe(false);
    const status = lift('status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^gateway\s+http:\/\/localhost:8000\s+down\s+no/m);
    expect(existsSync(join(home, 'data', 'run', 'lift.pid'))).toBe(false);
    expect(existsSync(socketPath)).toBe(false);
  });
});

describe('lift with a bad command', () => {
  it('prints usage and exits 2', () => {
    const result = lift('launch');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "launch"');
  });

  it('says that nothing runs when asked to stop or start a service without a lift up (exit 1)', () => {
    const result = lift('stop', 'registry');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing is running');
  });

  it('refuses an unknown service name', () => {
    const result = lift('up', 'payments');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown service payments');
  });
});
