import { openServiceDatabase, runService } from '@lift/kit';
import { buildApp, type MemoryTables } from './app.js';
import { memoryConfigSchema } from './config.js';
import { memoryIdentity } from './service-identity.js';
import { memoryMigrations } from './migrations/index.js';

await runService({
  migrations: memoryMigrations,
  identity: memoryIdentity,
  configSchema: memoryConfigSchema,
  requiredInProduction: ['DATABASE_URL'],
  build: async (context) => buildApp({ ...context, database: await openServiceDatabase<MemoryTables>(context, { migrations: memoryMigrations }) }),
});
