import type { Logger } from 'pino';
import type { ReadinessCheck } from '../http/health-plugin.js';
import { redactedDatabaseUrl } from './database-url.js';
import { migrateToLatest, type ServiceMigrations } from './migrations.js';
import type { Database } from './open-database.js';

export interface DatabasePreparation {
  readonly readiness: ReadinessCheck;
  /** Resolves once the migrations have run (used by tests and by start-up logging). */
  readonly migrated: Promise<void>;
  stop(): void;
}

/**
 * Runs the migrations, retrying with backoff while the database is unreachable, so a service
 * whose database is late still starts and says so on /ready instead of crash-looping.
 */
export function prepareDatabase<Schema>(
  database: Database<Schema>,
  migrations: ServiceMigrations,
  log: Logger,
): DatabasePreparation {
  let lastError: string | undefined = 'migrations have not run yet';
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const where = database.location.dialect === 'sqlite' ? database.location.file : `${redactedDatabaseUrl(database.location.connectionString)} schema ${database.location.schema}`;

  const migrated = new Promise<void>((resolve) => {
    const attempt = async (delayMs: number): Promise<void> => {
      try {
        const applied = await migrateToLatest(database, migrations);
        lastError = undefined;
        log.info({ database: where, applied }, 'database ready');
        resolve();
      } catch (error) {
        lastError = (error as Error).message;
        log.error({ database: where, err: error, retryInMs: delayMs }, 'database not ready');
        if (!stopped) retryTimer = setTimeout(() => void attempt(Math.min(delayMs * 2, 30_000)), delayMs);
      }
    };
    void attempt(500);
  });

  return {
    readiness: {
      name: 'database',
      check: async () => {
        if (lastError !== undefined) throw new Error(lastError);
        await database.ping();
      },
    },
    migrated,
    stop: () => {
      stopped = true;
      clearTimeout(retryTimer);
    },
  };
}
