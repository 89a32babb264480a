import { Migrator, type Kysely, type Migration } from 'kysely';
import { ensurePostgresSchema, type Database } from './open-database.js';

/** A service's migrations, by name; names sort in the order they run (`0001_users`, …). */
export type ServiceMigrations = Readonly<Record<string, Migration>>;

export class MigrationError extends Error {}

/**
 * Brings the service's tables to the latest version. Kysely's migrator takes a lock, so replicas
 * starting together run each migration once.
 */
export async function migrateToLatest<Schema>(database: Database<Schema>, migrations: ServiceMigrations): Promise<string[]> {
  if (database.location.dialect === 'postgres') await ensurePostgresSchema(database.location.connectionString, database.location.schema);
  const migrator = new Migrator({
    db: database.db as Kysely<unknown>,
    provider: { getMigrations: async () => ({ ...migrations }) },
    ...(database.location.dialect === 'postgres' ? { migrationTableSchema: database.location.schema } : {}),
  });
  let outcome = await migrator.migrateToLatest();
  // Kysely looks for its tables in every schema; one dropped meanwhile (another run's test schemas,
  // an operator's cleanup) fails that catalogue query. Nothing was migrated then: look again, after
  // a growing pause — immediate retries all fell into the same drop when many schemas went at once.
  for (let attempt = 1; attempt < 8 && isSchemaDroppedDuringScan(outcome.error); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined) {
    throw new MigrationError(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** PostgreSQL 3F000 (invalid_schema_name) from the migrator's scan of the catalogue. */
function isSchemaDroppedDuringScan(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '3F000';
}
