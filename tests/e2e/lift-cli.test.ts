import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

const seedPorts = [8000, 8001, 8002, 8003, 8004, 8005];
const home = mkdtempSync(join(tmpdir(), 'lift-home-'));

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
  beforeAll(() => {
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

  it('stops everything with lift down, after which status reports them down', async () => {
    const down = lift('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('stopped');
    expect((await Promise.all(seedPorts.map(listening))).some(Boolean)).toBe(false);
    const status = lift('status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^gateway\s+http:\/\/localhost:8000\s+down\s+no/m);
    expect(existsSync(join(home, 'data', 'run', 'lift.pid'))).toBe(false);
  });
});

describe('lift with a bad command', () => {
  it('prints usage and exits 2', () => {
    const result = lift('launch');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "launch"');
  });

  it('refuses an unknown service name', () => {
    const result = lift('up', 'payments');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown service payments');
  });
});
