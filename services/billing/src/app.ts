import { authPlugin, createService, serviceTokenVerifier, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { BillingDomain } from './billing-domain.js';
import type { BillingConfig } from './config.js';
import { billingIdentity } from './identity.js';
import { seedDefaultPlans } from './plans.js';
import { planRoutes } from './routes/plan-routes.js';
import { usageRoutes } from './routes/usage-routes.js';
import type { BillingTables } from './tables.js';

export type { BillingTables };
export type BillingDeps = DatabaseServiceDeps<BillingConfig, BillingTables>;

export async function buildApp(deps: BillingDeps): Promise<ServiceApp> {
  const domain: BillingDomain = { config: deps.config, db: deps.database.db, clock: deps.clock, log: deps.log, dialect: deps.database.location.dialect };
  const app = await createService({ identity: billingIdentity, config: deps.config, log: deps.log, clock: deps.clock });
  await app.register(authPlugin, { verifier: serviceTokenVerifier(deps.config, deps.clock) });
  await planRoutes(app, domain);
  await usageRoutes(app, domain);

  // Ready once the default plans exist (seeded after the migrations; idempotent across replicas).
  let seedError: string | undefined = 'plans not seeded yet';
  deps.database.migrated
    .then(() => seedDefaultPlans(domain))
    .then(
      () => (seedError = undefined),
      (error: unknown) => {
        seedError = (error as Error).message;
        deps.log.error({ err: error }, 'seeding the default plans failed');
      },
    );
  app.readiness.add({
    name: 'plans',
    check: async () => {
      if (seedError !== undefined) throw new Error(seedError);
    },
  });
  return app;
}
