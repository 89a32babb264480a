import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, openSharedState, type Clock, type ServiceApp } from '@lift/kit';
import { buildApp, type RegistryTables } from '../src/app.js';
import { registryConfigSchema } from '../src/config.js';
import { registryMigrations } from '../src/migrations/index.js';
import { testSchemaName } from '../../../tests/support/test-schema.js';
import { bearerFor } from '../../../tests/support/test-token.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const testRedisUrl = process.env.TEST_REDIS_URL;
export const backends = [{ name: 'SQLite + in-process state', postgres: false }, ...(testDatabaseUrl && testRedisUrl ? [{ name: 'PostgreSQL + Redis', postgres: true }] : [])];
if (!testDatabaseUrl || !testRedisUrl) process.stderr.write('\n*** SKIPPED: registry suites on PostgreSQL + Redis need TEST_DATABASE_URL and TEST_REDIS_URL ***\n\n');

const secret = 'registry tests sign their own HS256 tokens here';

/** The registry on a fresh database, verifying HS256 tokens the tests mint, modules allowed on loopback. */
export async function buildRegistry(options: { postgres?: boolean; env?: Record<string, string>; clock?: Clock; healthChecksOnTimer?: boolean } = {}): Promise<{ app: ServiceApp; db: Kysely<RegistryTables> }> {
  const schema = testSchemaName('registry');
  const config = await loadConfig(registryConfigSchema, {
    env: {
      DATABASE_URL: options.postgres ? (testDatabaseUrl as string) : `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-registry-')), 'lift.db')}`,
      DATABASE_SCHEMA: schema,
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: secret,
      MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
      HEALTH_CHECK_TIMEOUT_MS: '500',
      ...(options.postgres ? { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${schema}:` } : {}),
      ...options.env,
    },
  });
  const clock = options.clock ?? { now: () => Date.now() };
  const database = await openDatabase<RegistryTables>({ location: databaseLocation(config.DATABASE_URL, 'registry', config.DATABASE_SCHEMA) });
  await migrateToLatest(database, registryMigrations);
  const state = options.postgres ? await openSharedState(config, clock) : new InProcessState(clock);
  const http = createHttpClient({ service: 'registry', version: 'test' });
  // Registered before the app is built, so a build that throws (bad configuration) leaks nothing.
  cleanups.push(async () => {
    await http.close();
    await state.close();
    await database.close();
  });
  const app = await buildApp({ config, log: createLogger({ service: 'registry', version: 'test', level: 'silent' }), clock, state, http, database: { ...database, migrated: Promise.resolve() }, healthChecksOnTimer: options.healthChecksOnTimer ?? false });
  cleanups.push(() => app.close());
  return { app, db: database.db };
}

/** An access token as auth would sign it (HS256 mode), with the permissions a test needs. */
export function tokenWith(permissions: string[], subject = 'user-1', organisation = 'platform', atMs = Date.now()): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions, subject, atMs });
}

export const admin = (atMs?: number) => tokenWith(['registry:admin', 'registry:read', 'registry:heartbeat'], 'user-1', 'platform', atMs);

/** A stand-in module: answers its health endpoint with the status the test sets. */
export async function startModuleServer(): Promise<{ url: string; port: number; setHealth(status: number): void; requests: string[]; close(): Promise<void> }> {
  let health = 200;
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.url === '/health') {
      response.writeHead(health, health >= 300 && health < 400 ? { location: 'http://169.254.169.254/' } : { 'content-type': 'application/json' });
      return response.end('{}');
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ path: request.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}`, port, setHealth: (status) => void (health = status), requests, close };
}

export function manifest(overrides: Record<string, unknown> = {}) {
  return {
    moduleId: 'causal',
    name: 'Causal modelling',
    version: '1.0.0',
    baseUrl: 'http://127.0.0.1:9999',
    features: ['dag', 'counterfactuals'],
    metadata: { description: 'Causal graphs', author: 'Lift', category: 'analytics', tags: ['causal', 'graphs'] },
    ...overrides,
  };
}
