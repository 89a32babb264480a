import type { Static, TObject } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { systemClock } from './clock.js';
import type { BaseConfig, DatabaseConfig } from './config/base-config.js';
import { databaseLocation } from './db/database-url.js';
import { prepareDatabase } from './db/database-readiness.js';
import type { ServiceMigrations } from './db/migrations.js';
import { openDatabase, type Database } from './db/open-database.js';
import { createHttpClient } from './http/http-client.js';
import type { ReadinessCheck } from './http/health-plugin.js';
import type { ServiceIdentity } from './http/create-service.js';
import type { ServiceDeps } from './service-deps.js';
import { openSharedState } from './state/open-shared-state.js';
import type { ServiceTracing } from './tracing/service-tracing.js';

/**
 * The dependencies of one running service plus what must happen around them: readiness checks
 * to register on the app, and resources to close, in reverse order, at shutdown.
 */
export interface ServiceContext<Config> extends ServiceDeps<Config> {
  readonly identity: ServiceIdentity;
  readonly readinessChecks: readonly ReadinessCheck[];
  addReadinessCheck(check: ReadinessCheck): void;
  onClose(task: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function createServiceContext<T extends TObject>(
  identity: ServiceIdentity,
  config: Static<T> & BaseConfig,
  log: Logger,
  tracing?: ServiceTracing,
): Promise<ServiceContext<Static<T>>> {
  const clock = systemClock;
  const state = await openSharedState(config, clock);
  const http = createHttpClient({ service: identity.name, version: identity.version });
  const readinessChecks: ReadinessCheck[] = [];
  // Closed in reverse: tracing last, so the spans of the shutdown itself are exported.
  const closeTasks: (() => Promise<void>)[] = [...(tracing ? [() => tracing.close()] : []), () => http.close(), () => state.close()];
  if (state.kind === 'redis') readinessChecks.push({ name: 'redis', check: () => state.ping() });
  return {
    identity,
    config,
    log,
    clock,
    state,
    http,
    tracing,
    readinessChecks,
    addReadinessCheck: (check) => void readinessChecks.push(check),
    onClose: (task) => void closeTasks.push(task),
    close: async () => {
      for (const task of closeTasks.reverse()) {
        try {
          await task();
        } catch (error) {
          log.warn({ err: error }, 'closing a resource failed');
        }
      }
    },
  };
}

/** A service's database and when its migrations have run (work that needs the tables waits on it). */
export interface ServiceDatabase<Schema> extends Database<Schema> {
  readonly migrated: Promise<void>;
}

export interface ServiceDatabaseOptions {
  readonly migrations: ServiceMigrations;
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL';
}

/** Opens the service's own database, migrates it in the background and wires readiness and close. */
export async function openServiceDatabase<Schema>(
  context: ServiceContext<BaseConfig & DatabaseConfig>,
  options: ServiceDatabaseOptions,
): Promise<ServiceDatabase<Schema>> {
  const { config } = context;
  const location = databaseLocation(config.DATABASE_URL, context.identity.name, config.DATABASE_SCHEMA);
  const database = await openDatabase<Schema>({ location, log: context.log, ...(options.sqliteSynchronous ? { sqliteSynchronous: options.sqliteSynchronous } : {}) });
  const preparation = prepareDatabase(database, options.migrations, context.log);
  context.addReadinessCheck(preparation.readiness);
  context.onClose(async () => {
    preparation.stop();
    await database.close();
  });
  return { ...database, migrated: preparation.migrated };
}
