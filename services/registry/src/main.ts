import { openServiceDatabase, runService } from '@lift/kit';
import { buildApp, type RegistryTables } from './app.js';
import { registryConfigSchema } from './config.js';
import { registryIdentity } from './service-identity.js';
import { registryMigrations } from './migrations/index.js';

await runService({
  migrations: registryMigrations,
  identity: registryIdentity,
  configSchema: registryConfigSchema,
  requiredInProduction: ['DATABASE_URL'],
  build: async (context) => buildApp({ ...context, database: await openServiceDatabase<RegistryTables>(context, { migrations: registryMigrations }) }),
});
