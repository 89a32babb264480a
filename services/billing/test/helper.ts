import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import { createHttpClient, createLogger, databaseLocation, InProcessState, loadConfig, migrateToLatest, openDatabase, type Clock, type ServiceApp } from '@lift/kit';
import { buildApp, type BillingTables } from '../src/app.js';
import { billingConfigSchema } from '../src/config.js';
import { billingMigrations } from '../src/migrations/index.js';
import type { OrganisationDirectory } from '../src/organisation-directory.js';
import { testSchemaName } from '../../../tests/support/test-schema.js';
import { bearerFor } from '../../../tests/support/test-token.js';
import { untilReady } from '../../../tests/support/until-ready.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const backends = [{ name: 'SQLite', postgres: false }, ...(testDatabaseUrl ? [{ name: 'PostgreSQL', postgres: true }] : [])];
if (!testDatabaseUrl) process.stderr.write('\n*** SKIPPED: billing suites on PostgreSQL need TEST_DATABASE_URL ***\n\n');

const secret = 'billing tests sign their own HS256 tokens here';

export function manualClock(start = Date.parse('2026-11-28T09:00:00Z')): Clock & { advance(ms: number): void; set(iso: string): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms), set: (iso) => void (now = Date.parse(iso)) };
}

/** The organisations these suites use, as if auth had them; `asked` records each question. */
export function knownOrganisations(ids: readonly string[] = testOrganisations): OrganisationDirectory & { readonly asked: string[] } {
  const known = new Set(ids);
  const asked: string[] = [];
  return {
    asked,
    exists: async (organisationId) => {
      asked.push(organisationId);
      return known.has(organisationId);
    },
  };
}
const testOrganisations = ['org-a', 'org-b', 'org-c', 'org-d', 'org-free', 'org-team'];

/**
 * The billing app on a fresh database. Organisations come from `knownOrganisations()` unless a
 * test passes its own directory, or `'auth'` to have the app ask auth at AUTH_SERVICE_URL.
 */
export async function buildBilling(
  options: { postgres?: boolean; clock?: Clock; env?: Record<string, string>; organisations?: OrganisationDirectory | 'auth' } = {},
): Promise<{ app: ServiceApp; db: Kysely<BillingTables>; clock: Clock }> {
  const schema = testSchemaName('billing');
  const config = await loadConfig(billingConfigSchema, {
    env: {
      DATABASE_URL: options.postgres ? (testDatabaseUrl as string) : `sqlite:///${join(mkdtempSync(join(tmpdir(), 'lift-billing-')), 'lift.db')}`,
      DATABASE_SCHEMA: schema,
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: secret,
      ...options.env,
    },
  });
  const clock = options.clock ?? manualClock();
  const database = await openDatabase<BillingTables>({ location: databaseLocation(config.DATABASE_URL, 'billing', config.DATABASE_SCHEMA), sqliteSynchronous: 'FULL' });
  await migrateToLatest(database, billingMigrations);
  const state = new InProcessState(clock);
  const http = createHttpClient({ service: 'billing', version: 'test' });
  const organisations = options.organisations === 'auth' ? {} : { organisations: options.organisations ?? knownOrganisations() };
  // Registered before the app is built, so a build that throws (bad configuration) leaks nothing.
  cleanups.push(async () => {
    await http.close();
    await state.close();
    await database.close();
  });
  const app = await buildApp({ config, log: createLogger({ service: 'billing', version: 'test', level: 'silent' }), clock, state, http, database: { ...database, migrated: Promise.resolve() }, invoicingOnTimer: false, ...organisations });
  cleanups.push(() => app.close());
  // The default plans are seeded in the background; the app is ready once they exist.
  await untilReady(app);
  return { app, db: database.db, clock };
}

/** A token as auth signs it (HS256 mode in these tests), long-lived so manual clocks can move far. */
export function tokenFor(organisation: string, permissions: string[], options: { subject?: string; clock?: Clock } = {}): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions, subject: options.subject ?? 'user-1', atMs: options.clock?.now() ?? Date.parse('2026-11-28T09:00:00Z'), lifetimeSeconds: 3600 * 24 * 400 });
}

export const platformService = (clock?: Clock) => tokenFor('platform', ['billing:usage', 'billing:read'], { subject: 'svc:gateway', ...(clock ? { clock } : {}) });
export const billingAdmin = (clock?: Clock) => tokenFor('platform', ['billing:admin', 'billing:read', 'billing:manage'], { ...(clock ? { clock } : {}) });
