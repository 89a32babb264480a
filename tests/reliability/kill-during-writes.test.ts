import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, testDatabaseUrl } from '../support/backends.js';
import { testRedisUrl } from '../support/backend.js';
import { everyServiceClientSecret, startPlatformStack, type CoreServiceName, type PlatformStack } from '../support/platform-stack.js';
import { testSchemaName } from '../support/test-schema.js';

/**
 * Faults (issue #21): a service killed with SIGKILL — no drain, no flush — while clients write
 * through the gateway as fast as they can. Every write the platform acknowledged (201) before,
 * during or after the kill is there once the service is back; writes in flight at the kill may
 * fail, and must not be acknowledged. On SQLite (the embedded default) and on PostgreSQL + Redis
 * (a private schema and key prefix on the test servers: the servers themselves stay up here).
 */
interface Writes {
  /** What each acknowledged write left to check: an id, an e-mail. */
  readonly acknowledged: string[];
  /** Writes refused or cut off while the service was down (never acknowledged). */
  failed: number;
  /** The last refusal, for the message when acknowledgements stop coming. */
  lastFailure: string;
}

/** Writers sending one write after another until stopped; resolves with what was acknowledged. */
function writeUntilStopped(writers: number, write: () => Promise<string>): { writes: Writes; stop: () => Promise<Writes> } {
  const writes: Writes = { acknowledged: [], failed: 0, lastFailure: '' };
  const refused = async (why: string) => {
    writes.failed += 1;
    writes.lastFailure = why;
    // A client backs off a little when the platform refuses, as real ones do (and leaves the CPU to the restart).
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        writes.acknowledged.push(await write());
      } catch (error) {
        await refused((error as Error).message);
      }
    }
  };
  const loops = Array.from({ length: writers }, loop);
  return {
    writes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return writes;
    },
  };
}

/** Until `count` more writes are acknowledged (a poll of the writers' progress, not a sleep for time). */
async function untilAcknowledged(writes: Writes, count: number): Promise<void> {
  const target = writes.acknowledged.length + count;
  await expect.poll(() => writes.acknowledged.length, { timeout: 60_000, interval: 10, message: `acknowledgements stopped; last refusal: ${writes.lastFailure}` }).toBeGreaterThanOrEqual(target);
}

describe.each(backends)('a service killed with SIGKILL under writes ($name)', ({ postgres: production }) => {
  let stack: PlatformStack;
  let token = '';
  const prefix = testSchemaName('kill');
  const call = (path: string, body: unknown, bearer = token) =>
    fetch(`${stack.gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

  beforeAll(async () => {
    stack = await startPlatformStack(
      {
        SERVICE_CLIENT_SECRETS: everyServiceClientSecret('kill'),
        RATE_LIMIT_PER_IP: '100000000',
        RATE_LIMIT_PER_ORG: '100000000',
        RATE_LIMIT_CREDENTIALS_PER_IP: '100000000',
        MAIL_LIMIT_PER_CLIENT_PER_HOUR: '100000000',
        ...(production ? { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${prefix}:` } : {}),
      },
      { perService: (name): Record<string, string> => (production && name !== 'gateway' ? { DATABASE_URL: testDatabaseUrl as string, DATABASE_SCHEMA: `${prefix}_${name}` } : {}) },
    );
    const owner = await call('/auth/v1/register', { email: `owner-${randomBytes(4).toString('hex')}@kill.test`, password: 'a long enough passphrase' }, '');
    token = ((await owner.json()) as { accessToken: string }).accessToken;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Kills `service` once `before` writes are acknowledged, restarts it, and waits for `after` more. */
  async function killDuring(service: CoreServiceName, write: () => Promise<string>): Promise<Writes> {
    const run = writeUntilStopped(4, write);
    try {
      await untilAcknowledged(run.writes, 40);
      await stack.crashAndRestart(service);
      await untilAcknowledged(run.writes, 40);
    } finally {
      // Also when a poll failed: writers left running would hammer a stopped stack.
      await run.stop();
    }
    // The kill did interrupt the writes: some were refused while the service was down.
    expect(run.writes.failed).toBeGreaterThan(0);
    return run.writes;
  }

  it('keeps every memory acknowledged before, during and after memory is killed', { timeout: 180_000 }, async () => {
    const writes = await killDuring('memory', async () => {
      const content = `written under fire ${randomBytes(6).toString('hex')}`;
      const answer = await call('/memory/v1/memories', { content });
      if (answer.status !== 201) throw new Error(`${answer.status} ${(await answer.text()).slice(0, 200)}`);
      const { id } = (await answer.json()) as { id: string };
      return `${id} ${content}`;
    });
    const missing: string[] = [];
    for (const entry of writes.acknowledged) {
      const [id, ...words] = entry.split(' ');
      const read = await fetch(`${stack.gateway.url}/memory/v1/memories/${id}`, { headers: { authorization: `Bearer ${token}` } });
      if (read.status !== 200 || ((await read.json()) as { content: string }).content !== words.join(' ')) missing.push(entry);
    }
    process.stdout.write(`kill -9 memory (${production ? 'PostgreSQL' : 'SQLite'}): ${writes.acknowledged.length} acknowledged, ${writes.failed} refused while down, ${missing.length} lost\n`);
    expect(missing).toEqual([]);
  });

  it('keeps every account whose registration was acknowledged before, during and after auth is killed', { timeout: 180_000 }, async () => {
    const writes = await killDuring('auth', async () => {
      const email = `under-fire-${randomBytes(6).toString('hex')}@kill.test`;
      const answer = await call('/auth/v1/register', { email, password: 'a long enough passphrase' }, '');
      if (answer.status !== 201) throw new Error(`${answer.status} ${(await answer.text()).slice(0, 200)}`);
      await answer.arrayBuffer();
      return email;
    });
    const missing: string[] = [];
    for (const email of writes.acknowledged) {
      const login = await call('/auth/v1/login', { email, password: 'a long enough passphrase' }, '');
      await login.arrayBuffer();
      if (login.status !== 200) missing.push(`${email} → ${login.status}`);
    }
    process.stdout.write(`kill -9 auth (${production ? 'PostgreSQL' : 'SQLite'}): ${writes.acknowledged.length} acknowledged, ${writes.failed} refused while down, ${missing.length} lost\n`);
    expect(missing).toEqual([]);
  });
});
