import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from '../support/service-process.js';
import { testSchemaName } from '../support/test-schema.js';
import { skipUnless } from '../support/skip-rule.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const withoutBoth = skipUnless(databaseUrl !== undefined && redisUrl !== undefined, 'services on PostgreSQL and Redis', 'TEST_DATABASE_URL and TEST_REDIS_URL');

const started: ServiceProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

describe.skipIf(withoutBoth)('services in production mode on PostgreSQL and Redis', () => {
  it.each(['auth', 'billing', 'memory', 'observability', 'registry'])('%s migrates its own schema and is ready on both', async (name) => {
    const schema = testSchemaName(name);
    const service = startServiceProcess({
      name,
      port: await freePort(),
      env: {
        NODE_ENV: 'production',
        CORS_ORIGINS: 'https://app.lift.example',
        PUBLIC_URL: 'https://lift.example',
        DATABASE_URL: databaseUrl as string,
        DATABASE_SCHEMA: schema,
        REDIS_URL: redisUrl as string,
        REDIS_KEY_PREFIX: `${schema}:`,
      },
    });
    started.push(service);
    await waitUntilReady(service);
    const ready = (await (await fetch(`${service.url}/ready`)).json()) as { checks: Record<string, string> };
    const extra: Record<string, Record<string, string>> = { auth: { 'platform-admin': 'ok' }, billing: { plans: 'ok' }, memory: { index: 'ok' } };
    expect(ready.checks).toEqual({ database: 'ok', redis: 'ok', ...extra[name] });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const tables = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1 order by table_name', [schema]);
    await client.end();
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['kysely_migration', 'kysely_migration_lock']));
    if (name === 'auth') expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['users', 'organisations', 'memberships', 'refresh_tokens', 'api_keys', 'audit_events']));
  });
});

describe('a service whose Redis is down', () => {
  it('starts, and /ready answers 503 naming redis', async () => {
    const service = startServiceProcess({ name: 'registry', port: await freePort(), env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    started.push(service);
    await expect
      .poll(async () => {
        const response = await fetch(`${service.url}/ready`).catch(() => undefined);
        return response === undefined ? undefined : { status: response.status, body: (await response.json()) as { detail: string; checks: Record<string, string> } };
      }, { timeout: 15_000 })
      .toMatchObject({ status: 503, body: { detail: expect.stringContaining('redis'), checks: { database: 'ok' } } });
  });
});
