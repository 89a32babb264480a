import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, testDatabaseUrl } from '../support/backends.js';
import { testRedisUrl } from '../support/backend.js';
import { everyServiceClientSecret, startPlatformStack, type CoreServiceName, type PlatformStack } from '../support/platform-stack.js';
import { testSchemaName } from '../support/test-schema.js';
import { acknowledged, untilAcknowledged, writeUntilStopped, type Writes } from './support/writes-under-fire.js';

/**
 * Faults (issue #21): a service killed with SIGKILL — no drain, no flush — while clients write
 * through the gateway as fast as they can. Every write the platform acknowledged (201) before,
 * during or after the kill is there once the service is back; writes in flight at the kill may
 * fail, and must not be acknowledged. On SQLite (the embedded default) and on PostgreSQL + Redis
 * (a private schema and key prefix on the test servers: the servers themselves stay up here).
 */
const admin = { email: 'admin@kill.test', password: 'the kill suite platform admin' };
const logShipperSecret = 'log-shipper-secret-for-the-kill-suite';

describe.each(backends)('a service killed with SIGKILL under writes ($name)', ({ postgres: production }) => {
  let stack: PlatformStack;
  let adminToken = '';
  let logShipperToken = '';
  const prefix = testSchemaName('kill');
  const send = (path: string, init: { body?: unknown; bearer?: string; contentType?: string; method?: string } = {}) =>
    fetch(`${stack.gateway.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' }), ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}) },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(10_000),
    });

  beforeAll(async () => {
    stack = await startPlatformStack(
      {
        SERVICE_CLIENT_SECRETS: `${everyServiceClientSecret('kill')},log-shipper:${logShipperSecret}`,
        LIFT_ADMIN_EMAIL: admin.email,
        LIFT_ADMIN_PASSWORD: admin.password,
        MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
        RATE_LIMIT_PER_IP: '100000000',
        RATE_LIMIT_PER_ORG: '100000000',
        RATE_LIMIT_CREDENTIALS_PER_IP: '100000000',
        MAIL_LIMIT_PER_CLIENT_PER_HOUR: '100000000',
        ...(production ? { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${prefix}:` } : {}),
      },
      { perService: (name): Record<string, string> => (production && name !== 'gateway' ? { DATABASE_URL: testDatabaseUrl as string, DATABASE_SCHEMA: `${prefix}_${name}` } : {}) },
    );
    adminToken = (await acknowledged<{ accessToken: string }>(await send('/auth/v1/login', { body: admin }), 200)).accessToken;
    const grant = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'log-shipper', client_secret: logShipperSecret });
    logShipperToken = (await acknowledged<{ access_token: string }>(await send('/auth/v1/oauth/token', { body: grant.toString(), contentType: 'application/x-www-form-urlencoded' }), 200)).access_token;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * The owner of a new tenant organisation (its admin: may report usage for it). One per test: the
   * gateway meters every request it admits, refusals included, against the free plan's quota.
   */
  const newTenant = async () => acknowledged<{ accessToken: string; organisationId: string }>(await send('/auth/v1/register', { body: { email: `owner-${randomBytes(4).toString('hex')}@kill.test`, password: 'a long enough passphrase' } }), 201);

  /** Kills `service` once 40 writes are acknowledged, restarts it, and waits for 40 more. */
  async function killDuring(service: CoreServiceName | 'gateway', write: () => Promise<string>): Promise<Writes> {
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

  /** The figure the reliability document quotes, and the assertion that nothing was lost. */
  function report(service: string, writes: Writes, missing: string[]): void {
    process.stdout.write(`kill -9 ${service} (${production ? 'PostgreSQL' : 'SQLite'}): ${writes.acknowledged.length} acknowledged, ${writes.failed} refused while down, ${missing.length} lost\n`);
    expect(missing).toEqual([]);
  }

  /** Memories written through the gateway while `service` is killed, each read back with its content. */
  async function memoriesSurvive(service: 'memory' | 'gateway'): Promise<void> {
    const owner = await newTenant();
    const writes = await killDuring(service, async () => {
      const content = `written under fire ${randomBytes(6).toString('hex')}`;
      const { id } = await acknowledged<{ id: string }>(await send('/memory/v1/memories', { body: { content }, bearer: owner.accessToken }), 201);
      return `${id} ${content}`;
    });
    const missing: string[] = [];
    for (const entry of writes.acknowledged) {
      const [id, ...words] = entry.split(' ');
      const read = await send(`/memory/v1/memories/${id}`, { bearer: owner.accessToken });
      if (read.status !== 200 || ((await read.json()) as { content: string }).content !== words.join(' ')) missing.push(entry);
    }
    report(service, writes, missing);
  }

  it('keeps every memory acknowledged before, during and after memory is killed', { timeout: 180_000 }, () => memoriesSurvive('memory'));

  // The gateway keeps nothing a client wrote, but it is the process every write passes through.
  it('keeps every memory acknowledged before, during and after the gateway is killed', { timeout: 180_000 }, () => memoriesSurvive('gateway'));

  it('keeps every account whose registration was acknowledged before, during and after auth is killed', { timeout: 180_000 }, async () => {
    const writes = await killDuring('auth', async () => {
      const email = `under-fire-${randomBytes(6).toString('hex')}@kill.test`;
      await acknowledged(await send('/auth/v1/register', { body: { email, password: 'a long enough passphrase' } }), 201);
      return email;
    });
    const missing: string[] = [];
    for (const email of writes.acknowledged) {
      const login = await send('/auth/v1/login', { body: { email, password: 'a long enough passphrase' } });
      await login.arrayBuffer();
      if (login.status !== 200) missing.push(`${email} → ${login.status}`);
    }
    report('auth', writes, missing);
  });

  it('keeps every usage event acknowledged before, during and after billing is killed', { timeout: 180_000 }, async () => {
    const owner = await newTenant();
    // A metric of the tenant's plan that nothing else in this test reports (the gateway meters api_calls).
    const usageEvent = (id: string) => ({ id, org: owner.organisationId, metric: 'memory_searches', quantity: 1, timestamp: new Date().toISOString() });
    const writes = await killDuring('billing', async () => {
      const id = `kill-${randomBytes(8).toString('hex')}`;
      const result = await acknowledged<{ accepted: number }>(await send('/billing/v1/usage', { body: usageEvent(id), bearer: owner.accessToken }), 200);
      if (result.accepted !== 1) throw new Error(`a new event id was not counted: ${JSON.stringify(result)}`);
      return id;
    });
    // Billing dedupes by id forever: an event it kept answers as a duplicate when sent again.
    const missing: string[] = [];
    for (const id of writes.acknowledged) {
      const again = await acknowledged<{ accepted: number; duplicates: number }>(await send('/billing/v1/usage', { body: usageEvent(id), bearer: owner.accessToken }), 200);
      if (again.duplicates !== 1) missing.push(id);
    }
    // And the total holds them: at least every acknowledged one, at most every one ever sent.
    const query = new URLSearchParams({ metric: 'memory_searches', aggregation: 'count', from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
    const { value } = await acknowledged<{ value: number }>(await send(`/billing/v1/usage/${owner.organisationId}/summary?${query}`, { bearer: owner.accessToken }), 200);
    expect(value).toBeGreaterThanOrEqual(writes.acknowledged.length);
    expect(value).toBeLessThanOrEqual(writes.acknowledged.length + writes.failed);
    report('billing', writes, missing);
  });

  it('keeps every log line acknowledged before, during and after observability is killed', { timeout: 180_000 }, async () => {
    const run = `killrun${randomBytes(4).toString('hex')}`;
    const writes = await killDuring('observability', async () => {
      // A batch of three pino lines, as a shipper sends them; 202 means all three are committed.
      const words = Array.from({ length: 3 }, () => `line${randomBytes(6).toString('hex')}`);
      const batch = words.map((word) => JSON.stringify({ level: 30, time: Date.now(), service: 'kill-suite', msg: `${run} ${word}` })).join('\n');
      const result = await acknowledged<{ accepted: number }>(await send('/observability/v1/logs', { body: batch, contentType: 'application/x-ndjson', bearer: logShipperToken }), 202);
      if (result.accepted !== words.length) throw new Error(`not every line was stored: ${JSON.stringify(result)}`);
      return words.join(' ');
    });
    const stored = new Set<string>();
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ q: run, limit: '1000', ...(cursor ? { cursor } : {}) });
      const found = await acknowledged<{ items: { msg: string }[]; nextCursor?: string }>(await send(`/observability/v1/logs?${query}`, { bearer: adminToken }), 200);
      for (const item of found.items) stored.add(item.msg.split(' ')[1] ?? '');
      cursor = found.nextCursor;
    } while (cursor !== undefined);
    const missing = writes.acknowledged.flatMap((entry) => entry.split(' ')).filter((word) => !stored.has(word));
    report('observability', writes, missing);
  });

  it('keeps every module whose registration was acknowledged before, during and after registry is killed', { timeout: 180_000 }, async () => {
    const writes = await killDuring('registry', async () => {
      const moduleId = `kill-${randomBytes(6).toString('hex')}`;
      const manifest = { moduleId, name: 'Registered under fire', version: '1.0.0', baseUrl: 'http://127.0.0.1:9', permissions: [`${moduleId}:read`, `${moduleId}:write`] };
      await acknowledged(await send('/registry/v1/modules', { body: manifest, bearer: adminToken }), 201);
      return moduleId;
    });
    const missing: string[] = [];
    for (const moduleId of writes.acknowledged) {
      const read = await send(`/registry/v1/modules/${moduleId}`, { bearer: adminToken });
      await read.arrayBuffer();
      if (read.status !== 200) missing.push(`${moduleId} → ${read.status}`);
    }
    report('registry', writes, missing);
  });
});
