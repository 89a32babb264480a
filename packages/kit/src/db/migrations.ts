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
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined) {
    throw new MigrationError(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
