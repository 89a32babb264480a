import { openServiceDatabase, runService } from '@lift/kit';
import { buildApp, type BillingTables } from './app.js';
import { billingConfigSchema } from './config.js';
import { billingIdentity } from './service-identity.js';
import { billingMigrations } from './migrations/index.js';

// synchronous=FULL: an acknowledged usage event survives power loss, not only a crash.
await runService({
  migrations: billingMigrations,
  identity: billingIdentity,
  configSchema: billingConfigSchema,
  requiredInProduction: ['DATABASE_URL'],
  build: async (context) => buildApp({ ...context, database: await openServiceDatabase<BillingTables>(context, { migrations: billingMigrations, sqliteSynchronous: 'FULL' }) }),
});
