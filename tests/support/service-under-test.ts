import { join } from 'node:path';
import type { Static, TObject } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import {
  createHttpClient,
  databaseLocation,
  loadConfig,
  migrateToLatest,
  openDatabase,
  openSharedState,
  type Clock,
  type DatabaseServiceDeps,
  type ServiceApp,
  type ServiceDeps,
  type ServiceMigrations,
  type SharedState,
} from '@lift/kit';
import { sqliteAndMemory, testDatabaseUrl, testRedisUrl, type Backend } from './backend.js';
import { capturingLogger } from './captured-logs.js';
import { closeWhenDone } from './close-when-done.js';
import { manualClock } from './manual-clock.js';
import { scratchDirectories } from './scratch-directories.js';
import { testSchemaName } from './test-schema.js';
import { untilReady } from './until-ready.js';

/** Where a service's tables are, so a second app (a restart, another replica) can share them. */
export interface Storage {
  readonly databaseUrl: string;
  readonly schema: string;
}

export interface ServiceUnderTestOptions<Schema extends TObject> {
  /** The service's name: labels its schema, temporary folder and log lines. */
  readonly name: string;
  readonly configSchema: Schema;
  /** The test's configuration, over the harness's (database, Redis). */
  readonly env?: Record<string, string>;
  readonly backend?: Backend;
  /** A manual clock at the test epoch unless given. */
  readonly clock?: Clock;
  /** Shared state the test made itself (a broken Redis, one shared by two replicas); closed with the app. */
  readonly state?: SharedState;
  /** Keep what the service logs at this level and above in `logs` (silent otherwise). */
  readonly logLevel?: 'info' | 'warn';
  /** Wait until /ready answers 200: for services that do start-up work in the background. */
  readonly untilReady?: boolean;
}

export interface DatabaseOptions {
  readonly migrations: ServiceMigrations;
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** Run on an earlier app's tables instead of fresh ones. */
  readonly storage?: Storage;
}

export interface ServiceUnderTest<Config> {
  readonly app: ServiceApp;
  readonly config: Config;
  readonly clock: Clock;
  readonly state: SharedState;
  /** Lines the service logged at `logLevel` and above, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Closes the app and all it opened; also done after the test without being asked. */
  close(): Promise<void>;
}

export interface DatabaseServiceUnderTest<Config, Tables> extends ServiceUnderTest<Config> {
  /** The service's own tables, to assert side effects and arrange what no route can. */
  readonly db: Kysely<Tables>;
  readonly storage: Storage;
}

type StatelessOptions<Schema extends TObject> = ServiceUnderTestOptions<Schema> & {
  readonly buildApp: (deps: ServiceDeps<Static<Schema>>) => Promise<ServiceApp>;
};
type DatabaseServiceOptions<Schema extends TObject, Tables> = ServiceUnderTestOptions<Schema> & {
  readonly database: DatabaseOptions;
  readonly buildApp: (deps: DatabaseServiceDeps<Static<Schema>, Tables>) => Promise<ServiceApp>;
};

/**
 * SQLite files live in folders removed after the test file's last test — not when a service
 * closes: a test may reopen the same storage (a restart).
 */
const scratch = scratchDirectories();

function freshStorage(name: string, backend: Backend): Storage {
  // PostgreSQL schemas are dropped after the whole run (build-services.global.ts), never here.
  const schema = testSchemaName(name);
  const databaseUrl = backend.postgres ? (testDatabaseUrl as string) : `sqlite:///${join(scratch(`lift-${name}-`), 'lift.db')}`;
  return { databaseUrl, schema };
}

/**
 * A service as its tests need it, in the order `runService` does it for real: configuration →
 * database, migrated → shared state → HTTP client → `buildApp`. Everything it opens is closed
 * when the test is done, in reverse order, even when `buildApp` throws.
 */
export function startServiceUnderTest<Schema extends TObject, Tables>(options: DatabaseServiceOptions<Schema, Tables>): Promise<DatabaseServiceUnderTest<Static<Schema>, Tables>>;
export function startServiceUnderTest<Schema extends TObject>(options: StatelessOptions<Schema>): Promise<ServiceUnderTest<Static<Schema>>>;
export async function startServiceUnderTest<Schema extends TObject, Tables>(
  options: StatelessOptions<Schema> | DatabaseServiceOptions<Schema, Tables>,
): Promise<ServiceUnderTest<Static<Schema>> | DatabaseServiceUnderTest<Static<Schema>, Tables>> {
  const backend = options.backend ?? sqliteAndMemory;
  const withDatabase = 'database' in options ? options.database : undefined;
  // A service without a database gets a name for its Redis keys, and no folder.
  const storage = withDatabase?.storage ?? (withDatabase ? freshStorage(options.name, backend) : { databaseUrl: '', schema: testSchemaName(options.name) });
  const config = await loadConfig(options.configSchema, {
    env: {
      ...(withDatabase ? { DATABASE_URL: storage.databaseUrl, DATABASE_SCHEMA: storage.schema } : {}),
      ...(backend.postgres ? { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${storage.schema}:` } : {}),
      ...options.env,
    },
  });
  const closing: (() => Promise<void>)[] = [];
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      while (closing.length > 0) await closing.pop()?.();
    })());
  // Registered before anything is opened, so a build that throws (bad configuration) leaks nothing.
  closeWhenDone(close);

  const clock = options.clock ?? manualClock();
  const { log, lines: logs } = capturingLogger(options.name, options.logLevel ?? 'silent');
  const database = withDatabase
    ? await openDatabase<Tables>({
        location: databaseLocation(config.DATABASE_URL as string, options.name, config.DATABASE_SCHEMA as string | undefined),
        ...(withDatabase.sqliteSynchronous ? { sqliteSynchronous: withDatabase.sqliteSynchronous } : {}),
      })
    : undefined;
  if (database) {
    closing.push(() => database.close());
    await migrateToLatest(database, withDatabase?.migrations ?? {});
  }
  const state = options.state ?? (await openSharedState(config as { REDIS_URL?: string; REDIS_KEY_PREFIX: string }, clock));
  closing.push(() => state.close());
  const http = createHttpClient({ service: options.name, version: 'test' });
  closing.push(() => http.close());

  const deps = { config, log, clock, state, http };
  const app =
    'database' in options && database
      ? await options.buildApp({ ...deps, database: { ...database, migrated: Promise.resolve() } })
      : await (options as StatelessOptions<Schema>).buildApp(deps);
  closing.push(() => app.close());
  if (options.untilReady) await untilReady(app);
  const running = { app, config, clock, state, logs, close };
  return database ? { ...running, db: database.db, storage } : running;
}
