import type { Kysely } from 'kysely';
import type { ServiceApp } from '@lift/kit';
import { buildApp, type ObservabilityDeps, type ObservabilityTables } from '../src/app.js';
import { observabilityConfigSchema } from '../src/config.js';
import { observabilityMigrations } from '../src/migrations/index.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import { startServiceUnderTest, type Storage } from '../../../tests/support/service-under-test.js';
import { manualClock, type ManualClock } from '../../../tests/support/manual-clock.js';
import { bearerFor } from '../../../tests/support/test-token.js';

export { backends } from '../../../tests/support/backends.js';

const secret = 'observability tests sign their own HS256 tokens here';

/** The organisation a platform admin's token names (any id: permissions decide, as auth grants them). */
export const platformOrganisation = 'org-platform';

export interface ObservabilityUnderTest {
  readonly app: ServiceApp;
  readonly db: Kysely<ObservabilityTables>;
  readonly storage: Storage;
  readonly logs: Record<string, unknown>[];
  /** The app's clock, at the test epoch until the test moves it. */
  readonly clock: ManualClock;
}

/** The observability app on a fresh database (or `storage`, to restart on earlier tables), ready. */
export async function buildObservability(
  options: { postgres?: boolean; storage?: Storage; env?: Record<string, string>; clock?: ManualClock; deps?: (deps: ObservabilityDeps) => ObservabilityDeps } = {},
): Promise<ObservabilityUnderTest> {
  const clock = options.clock ?? manualClock();
  const service = await startServiceUnderTest<typeof observabilityConfigSchema, ObservabilityTables>({
    name: 'observability',
    configSchema: observabilityConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: observabilityMigrations, ...(options.storage ? { storage: options.storage } : {}) },
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...options.env },
    logLevel: 'info',
    clock,
    buildApp: (deps) => buildApp(options.deps ? options.deps(deps) : deps),
  });
  return { app: service.app, db: service.db, storage: service.storage, logs: service.logs, clock };
}

/** A platform admin's token (what auth's platform owner role grants here). */
export function platformAdmin(options: { subject?: string } = {}): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions: ['observability:read', 'observability:admin', 'org:admin'], subject: options.subject ?? 'platform-admin-1', lifetimeSeconds: 3600 * 24 * 30 });
}

/** A platform viewer: sees everything, manages nothing. */
export function platformViewer(): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions: ['observability:read'], subject: 'platform-viewer-1', lifetimeSeconds: 3600 * 24 * 30 });
}

/** A tenant's admin in `organisation` (org:admin, no observability permission). */
export function tenantAdmin(organisation = 'org-a'): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions: ['org:admin', 'memory:read'], subject: `admin-of-${organisation}`, lifetimeSeconds: 3600 * 24 * 30 });
}

/** A service calling as itself (`sub` = `svc:<name>`) with `permissions`. */
export function serviceToken(name: string, permissions: readonly string[]): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions, subject: `svc:${name}`, lifetimeSeconds: 3600 * 24 * 30 });
}
