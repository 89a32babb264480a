import type { Kysely } from 'kysely';
import type { Clock, ServiceApp } from '@lift/kit';
import { buildApp, type BillingTables } from '../src/app.js';
import { billingConfigSchema } from '../src/config.js';
import { billingMigrations } from '../src/migrations/index.js';
import type { OrganisationDirectory } from '../src/organisation-directory.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import { manualClock, testEpoch } from '../../../tests/support/manual-clock.js';
import { startServiceUnderTest } from '../../../tests/support/service-under-test.js';
import { bearerFor } from '../../../tests/support/test-token.js';

export { backends } from '../../../tests/support/backends.js';
export { manualClock } from '../../../tests/support/manual-clock.js';

const secret = 'billing tests sign their own HS256 tokens here';

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
  const organisations = options.organisations === 'auth' ? {} : { organisations: options.organisations ?? knownOrganisations() };
  const billing = await startServiceUnderTest<typeof billingConfigSchema, BillingTables>({
    name: 'billing',
    configSchema: billingConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: billingMigrations, sqliteSynchronous: 'FULL' },
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...options.env },
    clock: options.clock ?? manualClock(),
    // The default plans are seeded in the background; the app is ready once they exist.
    untilReady: true,
    buildApp: (deps) => buildApp({ ...deps, invoicingOnTimer: false, ...organisations }),
  });
  return { app: billing.app, db: billing.db, clock: billing.clock };
}

/** A token as auth signs it (HS256 mode in these tests), long-lived so manual clocks can move far. */
export function tokenFor(organisation: string, permissions: string[], options: { subject?: string; clock?: Clock } = {}): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions, subject: options.subject ?? 'user-1', atMs: options.clock?.now() ?? testEpoch, lifetimeSeconds: 3600 * 24 * 400 });
}

export const platformService = (clock?: Clock) => tokenFor('platform', ['billing:usage', 'billing:read'], { subject: 'svc:gateway', ...(clock ? { clock } : {}) });
export const billingAdmin = (clock?: Clock) => tokenFor('platform', ['billing:admin', 'billing:read', 'billing:manage'], { ...(clock ? { clock } : {}) });
