import type { Kysely } from 'kysely';
import type { Clock, ServiceApp } from '@lift/kit';
import type { ModuleManifest } from '@lift/sdk';
import { buildApp, type RegistryTables } from '../src/app.js';
import { registryConfigSchema } from '../src/config.js';
import { registryMigrations } from '../src/migrations/index.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import { testEpoch } from '../../../tests/support/manual-clock.js';
import { startServiceUnderTest } from '../../../tests/support/service-under-test.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { bearerFor } from '../../../tests/support/test-token.js';

export { backends } from '../../../tests/support/backends.js';

const secret = 'registry tests sign their own HS256 tokens here';

/** The registry on a fresh database, verifying HS256 tokens the tests mint, modules allowed on loopback. */
export async function buildRegistry(options: { postgres?: boolean; env?: Record<string, string>; clock?: Clock; healthChecksOnTimer?: boolean } = {}): Promise<{ app: ServiceApp; db: Kysely<RegistryTables> }> {
  const registry = await startServiceUnderTest<typeof registryConfigSchema, RegistryTables>({
    name: 'registry',
    configSchema: registryConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: registryMigrations },
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8', HEALTH_CHECK_TIMEOUT_MS: '500', ...options.env },
    ...(options.clock ? { clock: options.clock } : {}),
    buildApp: (deps) => buildApp({ ...deps, healthChecksOnTimer: options.healthChecksOnTimer ?? false }),
  });
  return { app: registry.app, db: registry.db };
}

/**
 * An access token as auth would sign it (HS256 mode), with the permissions a test needs; issued
 * at the harness clock's start and long-lived, so a test's manual clock can move far.
 */
export function tokenWith(permissions: string[], subject = 'user-1', organisation = 'platform', atMs = testEpoch): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions, subject, atMs, lifetimeSeconds: 3600 * 24 * 400 });
}

export const admin = (atMs?: number) => tokenWith(['registry:admin', 'registry:read', 'registry:heartbeat'], 'user-1', 'platform', atMs);

/** A stand-in module: answers its health endpoint with the status the test sets. */
export async function startModuleServer(): Promise<{ url: string; port: number; setHealth(status: number): void; requests: string[]; close(): Promise<void> }> {
  let health = 200;
  const module = await startStandIn((request, response) => {
    if (request.url !== '/health') return sendJson(response, 200, { path: request.url });
    // A redirect's target is an address no check may follow (cloud metadata).
    if (health >= 300 && health < 400) return void response.writeHead(health, { location: 'http://169.254.169.254/' }).end('{}');
    sendJson(response, health, {});
  });
  return {
    url: module.url,
    port: module.port,
    setHealth: (status) => void (health = status),
    get requests() {
      return module.received.map((request) => `${request.method} ${request.url}`);
    },
    close: module.close,
  };
}

/** A valid manifest, typed by the SDK's wire type so it cannot drift from what modules send; `overrides` may break it on purpose. */
const causalManifest: ModuleManifest = {
  moduleId: 'causal',
  name: 'Causal modelling',
  version: '1.0.0',
  baseUrl: 'http://127.0.0.1:9999',
  features: ['dag', 'counterfactuals'],
  metadata: { description: 'Causal graphs', author: 'Lift', category: 'analytics', tags: ['causal', 'graphs'] },
};

export function manifest(overrides: Record<string, unknown> = {}) {
  return { ...causalManifest, ...overrides };
}

/** `registry_route_table_waiting_polls` from the app's /metrics: how many route-table polls are held open. */
export async function waitingPolls(app: ServiceApp): Promise<number | undefined> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const value = /^registry_route_table_waiting_polls(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
}
