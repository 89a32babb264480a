import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/backend.js';
import { skipUnless } from '../support/skip-rule.js';
import { freePortBase, liftIn } from '../support/lift-process.js';

/**
 * The real `lift up --instances auth=2` on a private home and ports of its own (LIFT_PORT_BASE),
 * with steady load through the gateway to an auth route while one auth instance is restarted or
 * killed. Several instances need Redis (shared rate limits and lockouts), so this runs where
 * TEST_REDIS_URL is set.
 */
const noRedis = skipUnless(testRedisUrl !== undefined, 'lift up --instances (rolling restart, killed instance)', 'TEST_REDIS_URL');

const home = mkdtempSync(join(tmpdir(), 'lift-instances-'));
const keyPrefix = `lift-instances-${randomBytes(4).toString('hex')}:`;
let portBase = 0;
const gatewayUrl = () => `http://127.0.0.1:${portBase}`;
/** A public auth route: the gateway forwards it without a login. */
const loadPath = '/auth/.well-known/jwks.json';

const lift = liftIn(home, () => portBase);

interface Outcome {
  readonly startedAt: number;
  readonly endedAt: number;
  /** The status, or the error when no answer came. */
  readonly result: number | string;
  /** Answered by auth as it answers that request (not by the gateway for it). */
  readonly ok: boolean;
}

/** A GET any instance answers 200. */
async function publicKeys(): Promise<Pick<Outcome, 'result' | 'ok'>> {
  const response = await fetch(`${gatewayUrl()}${loadPath}`, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return { result: response.status, ok: response.status === 200 };
}

/**
 * A POST with a body, which the gateway never retries: a login of nobody, answered by auth with its
 * own 401. A gateway sending it to an instance that is closing fails it (502/503 of the gateway).
 */
async function loginOfNobody(): Promise<Pick<Outcome, 'result' | 'ok'>> {
  const response = await fetch(`${gatewayUrl()}/auth/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `nobody-${randomBytes(6).toString('hex')}@example.test`, password: 'not the password of anyone' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return { result: `${response.status} ${body.code ?? ''}`, ok: response.status === 401 && body.code === 'AUTH_INVALID_CREDENTIALS' };
}

/** Clients sending one request after another to the gateway until stopped: four GETs, and `posts` POSTs with a body. */
function steadyLoad(posts = 0): { stop: () => Promise<Outcome[]> } {
  const outcomes: Outcome[] = [];
  let running = true;
  const client = async (send: () => Promise<Pick<Outcome, 'result' | 'ok'>>): Promise<void> => {
    while (running) {
      const startedAt = Date.now();
      let answer: Pick<Outcome, 'result' | 'ok'>;
      try {
        answer = await send();
      } catch (error) {
        answer = { result: (error as Error).message, ok: false };
      }
      outcomes.push({ startedAt, endedAt: Date.now(), ...answer });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const clients = [...Array.from({ length: 4 }, () => client(publicKeys)), ...Array.from({ length: posts }, () => client(loginOfNobody))];
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return outcomes;
    },
  };
}

const failed = (outcomes: readonly Outcome[]) => outcomes.filter((outcome) => !outcome.ok);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StatusEntry {
  readonly name: string;
  readonly url: string;
  readonly ready: boolean;
  readonly pid?: number;
}

async function status(): Promise<StatusEntry[]> {
  const answer = await lift('status', '--json');
  return JSON.parse(answer.stdout) as StatusEntry[];
}

describe.skipIf(noRedis)('lift up --instances auth=2 behind the gateway', () => {
  beforeAll(async () => {
    portBase = await freePortBase();
    // The load is one client address: the per-address limits (requests, logins) and auth's lockout
    // of an address would answer 429 long before the end.
    writeFileSync(join(home, '.env.local'), `REDIS_URL=${testRedisUrl}\nREDIS_KEY_PREFIX=${keyPrefix}\nRATE_LIMIT_PER_IP=1000000\nRATE_LIMIT_CREDENTIALS_PER_IP=1000000\nLOCKOUT_MAX_FAILURES_PER_IP=1000000\n`, { mode: 0o600 });
    const up = await lift('up', '--detach', '--instances', 'auth=2');
    if (up.code !== 0) throw new Error(`lift up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
  }, 180_000);

  afterAll(async () => {
    await lift('down');
    const redis = new Redis(testRedisUrl as string);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('runs each auth instance on its port (the second 100 above the first), shown by lift status', async () => {
    const auth = (await status()).filter((entry) => entry.name.startsWith('auth'));
    expect(auth.map((entry) => [entry.name, entry.url, entry.ready])).toEqual([
      ['auth', `http://localhost:${portBase + 1}`, true],
      ['auth#2', `http://localhost:${portBase + 101}`, true],
    ]);
    expect(auth.every((entry) => typeof entry.pid === 'number')).toBe(true);
    const response = await fetch(`${gatewayUrl()}${loadPath}`);
    expect(response.status).toBe(200);
  });

  it('loses no request, GET or POST, while lift restart auth --rolling replaces both instances', async () => {
    const before = await status();
    const load = steadyLoad(2);
    await pause(2_000);
    const restart = await lift('restart', 'auth', '--rolling');
    await pause(2_000);
    const outcomes = await load.stop();
    expect(restart.code, `${restart.stdout}\n${restart.stderr}`).toBe(0);
    expect(restart.stdout).toContain('auth restarted one at a time (auth, auth#2); ready');
    const after = await status();
    for (const name of ['auth', 'auth#2']) {
      expect(after.find((entry) => entry.name === name)?.pid).not.toBe(before.find((entry) => entry.name === name)?.pid);
    }
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter((outcome) => outcome.result === '401 AUTH_INVALID_CREDENTIALS').length).toBeGreaterThan(10);
    expect(failed(outcomes)).toEqual([]);
  }, 120_000);

  it('after SIGKILL of one instance, fails only requests in flight on it at that moment', async () => {
    const victim = (await status()).find((entry) => entry.name === 'auth#2');
    expect(victim?.pid).toBeTypeOf('number');
    const load = steadyLoad();
    await pause(2_000);
    const killedAt = Date.now();
    process.kill(victim?.pid as number, 'SIGKILL');
    // Past the gateway's ejection, its probe (~2 s) and the supervisor bringing the instance back.
    await pause(10_000);
    const outcomes = await load.stop();
    expect(outcomes.filter((outcome) => outcome.startedAt > killedAt).length).toBeGreaterThan(100);
    // A request that started after the kill found the instance dead (or gone from the rotation): the gateway must not fail it.
    expect(failed(outcomes).filter((outcome) => outcome.startedAt >= killedAt)).toEqual([]);
    expect(failed(outcomes).every((outcome) => outcome.endedAt >= killedAt)).toBe(true);
  }, 60_000);
});
