import { openServiceDatabase, runService } from '@lift/kit';
import { buildApp, type ObservabilityTables } from './app.js';
import { observabilityConfigSchema } from './config.js';
import { observabilityIdentity } from './service-identity.js';
import { observabilityMigrations } from './migrations/index.js';

await runService({
  migrations: observabilityMigrations,
  identity: observabilityIdentity,
  configSchema: observabilityConfigSchema,
  requiredInProduction: ['DATABASE_URL'],
  build: async (context) =>
    buildApp({ ...context, database: await openServiceDatabase<ObservabilityTables>(context, { migrations: observabilityMigrations }) }),
});
