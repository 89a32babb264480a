import { openServiceDatabase, runService } from '@lift/kit';
import { buildApp, type AuthTables } from './app.js';
import { authConfigSchema } from './config.js';
import { authIdentity } from './service-identity.js';
import { authMigrations } from './migrations/index.js';

await runService({
  migrations: authMigrations,
  identity: authIdentity,
  configSchema: authConfigSchema,
  // Links in mail start with PUBLIC_URL: in production they must not point at localhost.
  requiredInProduction: ['DATABASE_URL', 'PUBLIC_URL'],
  build: async (context) => buildApp({ ...context, database: await openServiceDatabase<AuthTables>(context, { migrations: authMigrations }) }),
});
