import type { Static, TObject } from '@sinclair/typebox';
import type { Environment } from './config/env-file.js';
import { loadConfig } from './config/load-config.js';
import { databaseLocation, redactedDatabaseUrl } from './db/database-url.js';
import { migrateToLatest } from './db/migrations.js';
import { openDatabase } from './db/open-database.js';
import { createLogger } from './logger.js';
import type { ServiceDefinition } from './run-service.js';

/**
 * `node main.js migrate`: validates the configuration, brings the service's tables to the latest
 * version and returns — no listener, no background work. For a step before the replicas start (a
 * Kubernetes Job, a deploy script); a starting service still migrates itself, and Kysely's lock
 * makes the two safe together. One attempt: whoever runs it decides about retries.
 */
export async function migrateService<T extends TObject>(definition: ServiceDefinition<T>, env: Environment): Promise<string[]> {
  const config = (await loadConfig(definition.configSchema, { env, requiredInProduction: definition.requiredInProduction ?? [] })) as Static<T> & { LOG_LEVEL: string; DATABASE_URL?: string; DATABASE_SCHEMA?: string };
  const log = createLogger({ service: definition.identity.name, version: definition.identity.version, level: config.LOG_LEVEL });
  if (definition.migrations === undefined || config.DATABASE_URL === undefined) {
    log.info(`${definition.identity.name} has no database of its own: nothing to migrate`);
    return [];
  }
  const location = databaseLocation(config.DATABASE_URL, definition.identity.name, config.DATABASE_SCHEMA);
  const database = await openDatabase({ location, log });
  try {
    const applied = await migrateToLatest(database, definition.migrations);
    const where = location.dialect === 'sqlite' ? location.file : `${redactedDatabaseUrl(location.connectionString)} schema ${location.schema}`;
    log.info({ database: where, applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'the tables are at the latest version');
    return applied;
  } finally {
    await database.close();
  }
}
