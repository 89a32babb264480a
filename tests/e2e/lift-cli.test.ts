import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { backends, testDatabaseUrl } from '../support/backends.js';
import { testRedisUrl } from '../support/backend.js';
import pg from 'pg';
import { listening } from '../support/free-port.js';

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

// `lift up` uses the seed's fixed ports; on a machine where something already holds them this
// suite cannot run, and says so.
const portsTaken = (await Promise.all(seedPorts.map(listening))).some(Boolean);

const seedPortsBusy = skipUnless(!portsTaken, 'the lift CLI suite', 'free ports 8000-8005');

describe.skipIf(seedPortsBusy)('lift up --detach, status and down on the seed\'s ports', () => {
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
    expect(parseEnv(readFileSync(join(home, '.env.local'), 'utf8')).SERVICE_CLIENT_SECRETS).toMatch(/,log-shipper:[A-Za-z0-9_-]{32},prometheus:[A-Za-z0-9_-]{32},alertmanager:[A-Za-z0-9_-]{32}$/);
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

// Issue #15 over a running platform, on each backend: the supervisor ships every service's lines
// to observability, whose monitor probes the services and fires alerts. A fresh home (and, on
// PostgreSQL, a fresh database and Redis prefix) for each; the monitor probes every second.
describe.skipIf(seedPortsBusy).each(backends)('observability over a running lift up on $name', ({ postgres }) => {
  const platformHome = mkdtempSync(join(tmpdir(), 'lift-obs-home-'));
  const database = `lift_e2e_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    SERVICE_CHECK_INTERVAL_MS: '1000',
    SERVICE_CHECK_TIMEOUT_MS: '800',
    ALERT_WEBHOOK_RETRY_MS: '200',
    ...(postgres ? { DATABASE_URL: databaseUrlNamed(database), REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${database}:` } : {}),
  };
  const run = (...args: string[]) => liftIn(platformHome, env, ...args);
  const gateway = 'http://127.0.0.1:8000';
  const receiver = webhookReceiver();
  let platformToken = '';

  beforeAll(async () => {
    if (postgres) await adminQuery(`create database ${database}`);
    await receiver.start();
    const up = run('up', '--detach');
    if (up.code !== 0) throw new Error(`lift up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
    const settings = parseEnv(readFileSync(join(platformHome, '.env.local'), 'utf8'));
    platformToken = (await login(settings.LIFT_ADMIN_EMAIL as string, settings.LIFT_ADMIN_PASSWORD as string)).accessToken;
  }, 120_000);
  afterAll(async () => {
    run('down');
    await receiver.stop();
    if (postgres) await adminQuery(`drop database if exists ${database} with (force)`);
  });

  const asPlatform = (path: string, init: RequestInit = {}) => fetch(`${gateway}${path}`, { ...init, headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json', ...init.headers } });

  it('answers the public status through the gateway without a token: names and states only', async () => {
    const response = await fetch(`${gateway}/observability/v1/status`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as { state: string; services: { name: string; state: string }[] };
    expect(status.services.map((service) => service.name).sort()).toEqual(['auth', 'billing', 'gateway', 'memory', 'observability', 'registry']);
    for (const service of status.services) expect(Object.keys(service).sort()).toEqual(['name', 'state']);
    await expect.poll(async () => ((await (await fetch(`${gateway}/observability/v1/status`)).json()) as { state: string }).state, { timeout: 15_000 }).toBe('up');
  });

  it('finds one request\'s lines across services by its request id: the platform and the tenant\'s own admin, not another tenant', async () => {
    const suffix = randomBytes(3).toString('hex');
    const [ada, bob] = await Promise.all([register(`ada-${suffix}@logs.example`), register(`bob-${suffix}@logs.example`)]);
    const requestId = `e2e-${suffix}`;
    // A live tail through the gateway, opened before the request: the stream must pass the proxy.
    const tail = await openEventStream(`${gateway}/observability/v1/logs/stream?requestId=${requestId}`, platformToken);
    const stored = await fetch(`${gateway}/memory/v1/memories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ content: 'the payment webhook retried too quickly', type: 'incident' }),
    });
    expect(stored.status).toBe(201);
    const servicesOf = async (token: string) => {
      const answer = await fetch(`${gateway}/observability/v1/logs?requestId=${requestId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      const { items } = (await answer.json()) as { items: { service: string; reqId: string; org?: string }[] };
      for (const item of items) expect(item.reqId).toBe(requestId);
      return [...new Set(items.map((item) => item.service))].sort();
    };
    await expect.poll(() => servicesOf(platformToken), { timeout: 15_000 }).toEqual(['gateway', 'memory']);
    expect(await servicesOf(ada.accessToken)).toEqual(['gateway', 'memory']);
    expect(await servicesOf(bob.accessToken)).toEqual([]);
    const asked = await fetch(`${gateway}/observability/v1/logs?requestId=${requestId}&org=${ada.organisationId}`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    expect(asked.status).toBe(403);
    expect(((await tail.first()) as { reqId: string }).reqId).toBe(requestId);
    tail.close();

    // lift logs reads the same lines from observability (not from the files).
    const logs = run('logs', '--request-id', requestId, '--json');
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stderr).not.toMatch(/file/i);
    const shown = logs.stdout.trim().split('\n').map((line) => JSON.parse(line) as { service: string });
    expect([...new Set(shown.map((line) => line.service))].sort()).toEqual(['gateway', 'memory']);

    // Observability's own lines are shipped too (all but those about the shipper's batches).
    const ownId = `e2e-own-${suffix}`;
    expect((await fetch(`${gateway}/observability/v1/health/services`, { headers: { authorization: `Bearer ${platformToken}`, 'x-request-id': ownId } })).status).toBe(200);
    await expect.poll(async () => {
      const answer = await fetch(`${gateway}/observability/v1/logs?requestId=${ownId}`, { headers: { authorization: `Bearer ${platformToken}` } });
      const { items } = (await answer.json()) as { items: { service: string }[] };
      return [...new Set(items.map((item) => item.service))].sort();
    }, { timeout: 15_000 }).toEqual(['gateway', 'observability']);
  });

  it('lift stop registry fires an alert within the rule\'s checks and notifies the webhook; lift start registry resolves it', async () => {
    const created = await asPlatform('/observability/v1/alert-rules', {
      method: 'POST',
      body: JSON.stringify({ name: 'registry down (e2e)', kind: 'service_down', target: 'registry', checks: 2, severity: 'critical', channels: [{ type: 'webhook', url: receiver.url }] }),
    });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string };
    const alertOfRule = async () => {
      const answer = await asPlatform('/observability/v1/alerts?limit=200');
      const { items } = (await answer.json()) as { items: { id: string; ruleId: string; state: string; target: string; resolvedBy: string | null }[] };
      return items.find((alert) => alert.ruleId === rule.id);
    };

    expect(run('stop', 'registry').code).toBe(0);
    await expect.poll(alertOfRule, { timeout: 20_000, interval: 250 }).toMatchObject({ state: 'firing', target: 'registry' });
    await expect.poll(() => receiver.received.map((body) => body.type), { timeout: 10_000 }).toContain('alert.firing');
    const overview = (await (await asPlatform('/observability/v1/overview')).json()) as { services: { name: string; state: string }[] };
    expect(overview.services.find((service) => service.name === 'registry')?.state).toBe('down');

    expect(run('start', 'registry').code).toBe(0);
    await expect.poll(alertOfRule, { timeout: 20_000, interval: 250 }).toMatchObject({ state: 'resolved', resolvedBy: 'system' });
    await expect.poll(() => receiver.received.map((body) => body.type), { timeout: 10_000 }).toContain('alert.resolved');
    const fired = receiver.received.find((body) => body.type === 'alert.firing') as { alert: { ruleId: string; target: string } };
    expect(fired.alert).toMatchObject({ ruleId: rule.id, target: 'registry' });
  });
});

function liftIn(at: string, env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'cli/bin/lift.js'), ...args], {
    cwd: at,
    env: { ...process.env, ...env, LIFT_HOME: at },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Session {
  readonly accessToken: string;
  readonly organisationId: string;
}

async function login(email: string, password: string): Promise<Session> {
  const response = await fetch('http://127.0.0.1:8000/auth/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
}

async function register(email: string): Promise<Session> {
  const response = await fetch('http://127.0.0.1:8000/auth/v1/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a long enough passphrase' }) });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
}

/** The test database's server, with another database name. */
function databaseUrlNamed(name: string): string {
  const url = new URL(testDatabaseUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A local HTTP server standing in for a team's alert webhook: keeps every JSON body it receives. */
function webhookReceiver() {
  const received: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(204).end();
    });
  });
  return {
    received,
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
    },
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Server-sent events from `url`; `first()` resolves with the first `log` event's data. */
async function openEventStream(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const first = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before a log event');
      buffer += decoder.decode(value, { stream: true });
      const event = buffer.split('\n\n').find((chunk) => /^event: log$/m.test(chunk));
      const data = event ? /^data: (.*)$/m.exec(event) : null;
      if (data) return JSON.parse(data[1] as string) as unknown;
    }
  })();
  return { first: () => first, close: () => controller.abort() };
}

// Issue #17: the seed's scripts on a fresh home (LIFT_HOME: no .env.local, no data/), as a
// newcomer runs them: setup-dev.sh prepares, migrates and seeds (its own start and stop), then
// start-services.sh native brings the platform up with the demo data there.
describe.skipIf(seedPortsBusy)('scripts/setup-dev.sh then scripts/start-services.sh native on a fresh home', () => {
  const freshHome = mkdtempSync(join(tmpdir(), 'lift-scripts-home-'));
  // Asynchronous, unlike lift() above: while a script runs, fetch must see the earlier platforms
  // close their keep-alive connections, or it reuses a dead one afterwards ("other side closed").
  const script = (name: string, ...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', [join(repositoryRoot, 'scripts', name), ...args], { cwd: freshHome, env: { ...process.env, LIFT_HOME: freshHome }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  let setupOutput = '';
  let restoreOutput: { code: number | null; stdout: string; stderr: string };
  let owner: Session;

  beforeAll(async () => {
    const setup = await script('setup-dev.sh', '--skip-install');
    if (setup.code !== 0) throw new Error(`setup-dev.sh failed (${setup.code}):\n${setup.stdout}\n${setup.stderr}`);
    setupOutput = setup.stdout;
    // What setup made goes through a backup, a wipe and a restore before the platform starts on it:
    // every check below then also proves a restore the services run on (no extra platform start).
    const backup = await script('backup.sh', '--to', join(freshHome, 'backups', 'after-setup'));
    if (backup.code !== 0) throw new Error(`backup.sh failed (${backup.code}):\n${backup.stdout}\n${backup.stderr}`);
    for (const name of readdirSync(join(freshHome, 'data'))) if (/^lift\..*\.db$/.test(name)) rmSync(join(freshHome, 'data', name));
    restoreOutput = await script('restore.sh', join(freshHome, 'backups', 'after-setup'));
    const start = await script('start-services.sh', 'native', '--detach');
    if (start.code !== 0) throw new Error(`start-services.sh native failed (${start.code}):\n${start.stdout}\n${start.stderr}`);
    const settings = parseEnv(readFileSync(join(freshHome, '.env.local'), 'utf8'));
    owner = await login('demo-owner@lift.local', settings.LIFT_DEMO_PASSWORD as string);
  }, 240_000);
  afterAll(async () => {
    await script('stop-services.sh', 'native');
  });

  it('made a private .env.local from .env.example, seeded, and stopped the platform it started', () => {
    expect(statSync(join(freshHome, '.env.local')).mode & 0o777).toBe(0o600);
    const settings = parseEnv(readFileSync(join(freshHome, '.env.local'), 'utf8'));
    expect(settings).toMatchObject({ JWT_AUDIENCE: 'lift-os', LIFT_ADMIN_EMAIL: 'admin@lift.local', LIFT_DEMO_PASSWORD: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    expect(setupOutput).toContain('created');
    expect(setupOutput).toContain('stored 6 demo memories');
    expect(setupOutput).toMatch(/==> lift down\nlift: stopped/);
  });

  it('restored setup\'s backup into the wiped data/ before the platform started on it', () => {
    expect(restoreOutput.code, restoreOutput.stderr).toBe(0);
    expect(restoreOutput.stdout).toContain('restored data/lift.memory.db');
    expect(restoreOutput.stdout).not.toContain('moved the current');
  });

  it('serves the demo organisation\'s memories: its owner finds them by search', async () => {
    const response = await fetch('http://127.0.0.1:8000/memory/v1/search', {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'launch moved to October', limit: 3 }),
    });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { memory: { content: string; tags: string[] } }[] };
    expect(items[0]?.memory.content).toBe('The Q3 launch moved to October because the payment provider migration slipped');
    expect(items[0]?.memory.tags).toContain('demo-seed');
  });

  it('has the demo member in the organisation, the template module registered, and the seed\'s searches as usage', async () => {
    const asOwner = { headers: { authorization: `Bearer ${owner.accessToken}` } };
    const members = (await (await fetch(`http://127.0.0.1:8000/auth/v1/organisations/${owner.organisationId}/members`, asOwner)).json()) as { items: { email: string; role: string }[] };
    expect(members.items.map((member) => [member.email, member.role]).sort()).toEqual([['demo-member@lift.local', 'member'], ['demo-owner@lift.local', 'owner']]);
    const settings = parseEnv(readFileSync(join(freshHome, '.env.local'), 'utf8'));
    const admin = await login(settings.LIFT_ADMIN_EMAIL as string, settings.LIFT_ADMIN_PASSWORD as string);
    const module = await fetch('http://127.0.0.1:8000/registry/v1/modules/template', { headers: { authorization: `Bearer ${admin.accessToken}` } });
    expect(module.status).toBe(200);
    const day = 24 * 3600_000;
    const range = `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`;
    await expect.poll(async () => {
      const summary = await fetch(`http://127.0.0.1:8000/billing/v1/usage/${owner.organisationId}/summary?metric=memory_searches&${range}`, asOwner);
      return ((await summary.json()) as { value?: number }).value;
    }, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  });

  it('seeds again without duplicating anything while the platform runs, and leaves it running', async () => {
    const again = await script('setup-dev.sh', '--skip-install');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('the platform is running already');
    expect(again.stdout).toContain('the demo memories are stored already');
    expect(again.stdout).toContain('kept the existing');
    const listed = await fetch('http://127.0.0.1:8000/memory/v1/memories?tag=demo-seed&limit=100', { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(6);
    expect(await listening(8000)).toBe(true);
  });

  it('backs up the running platform\'s every database with scripts/backup.sh', async () => {
    const to = join(freshHome, 'backups', 'e2e');
    const backup = await script('backup.sh', '--to', to);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(to, 'manifest.json'), 'utf8')) as { backend: string; files: { name: string }[] };
    expect(manifest.backend).toBe('sqlite');
    expect(manifest.files.map((file) => file.name)).toEqual(expect.arrayContaining(['lift.auth.db', 'lift.billing.db', 'lift.memory.db', 'lift.observability.db', 'lift.registry.db', 'lift.gateway.outbox.db']));
    const refused = await script('restore.sh', to);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the platform is running');
  });

});
