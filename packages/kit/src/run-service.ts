import { resolve } from 'node:path';
import type { Static, TObject } from '@sinclair/typebox';
import type { BaseConfig } from './config/base-config.js';
import { environmentWithEnvFile, type Environment } from './config/env-file.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { ServiceMigrations } from './db/migrations.js';
import { warnAboutOpenFiles } from './files/private-files.js';
import type { ServiceApp, ServiceIdentity } from './http/create-service.js';
import { createLogger } from './logger.js';
import { migrateService } from './migrate-service.js';
import { createServiceContext, type ServiceContext } from './service-context.js';
import { startTracing } from './tracing/service-tracing.js';

export interface ServiceDefinition<T extends TObject> {
  readonly identity: ServiceIdentity;
  readonly configSchema: T;
  /** Variables with a development default that production must set explicitly. */
  readonly requiredInProduction?: readonly string[];
  /** The service takes requests from outside the platform (the gateway): it makes its own sampling decision. */
  readonly edge?: boolean;
  /** The service's migrations, for `main.js migrate` (the same ones `build` opens its database with). */
  readonly migrations?: ServiceMigrations;
  /** Builds the app from the context (open the database here with `openServiceDatabase`). */
  build(context: ServiceContext<Static<T>>): Promise<ServiceApp>;
}

export interface RunningService {
  readonly app: ServiceApp;
  readonly port: number;
  readonly config: BaseConfig;
  /** Graceful stop: not ready at once, in-flight requests finish, resources close. */
  stop(): Promise<void>;
}

/** Loads config, builds and starts the service; throws ConfigError for bad configuration. */
export async function startService<T extends TObject>(definition: ServiceDefinition<T>, env: Environment): Promise<RunningService> {
  const config = (await loadConfig(definition.configSchema, {
    env,
    requiredInProduction: definition.requiredInProduction ?? [],
  })) as Static<T> & BaseConfig;
  const log = createLogger({ service: definition.identity.name, version: definition.identity.version, level: config.LOG_LEVEL });
  const tracing = await startTracing({ service: definition.identity.name, version: definition.identity.version, env, log, edge: definition.edge === true });
  const context = await createServiceContext<T>(definition.identity, config, log, tracing);
  let app: ServiceApp;
  try {
    app = await definition.build(context);
    for (const check of context.readinessChecks) app.readiness.add(check);
    await app.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    await context.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  log.info({ port, state: context.state.kind, env: config.NODE_ENV }, `${definition.identity.name} listening`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.readiness.markShuttingDown();
      if (config.SHUTDOWN_DELAY_MS > 0) await new Promise((done) => setTimeout(done, config.SHUTDOWN_DELAY_MS));
      await app.close();
      await context.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { app, port, config, stop };
}

/**
 * The whole life of a service process: the only place that reads process.env, listens to
 * signals and exits. Bad configuration: one `service: VARIABLE: problem` line per problem on
 * stderr, exit code 1. SIGTERM/SIGINT: graceful stop, forced exit after SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<T extends TObject>(definition: ServiceDefinition<T>): Promise<void> {
  const envFile = resolve(process.env.LIFT_ENV_FILE ?? '.env.local');
  const env = environmentWithEnvFile(process.env, envFile);
  const name = definition.identity.name;
  if (process.argv[2] === 'migrate') return runMigrations(definition, env);
  let service: RunningService;
  try {
    service = await startService(definition, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${name}: configuration error: ${problem}\n`);
    } else {
      process.stderr.write(`${name}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  }

  // .env.local holds the development secrets (client secrets, the first admin's password).
  warnAboutOpenFiles(service.app.log, [envFile]);

  const shutdownTimeoutMs = service.config.SHUTDOWN_TIMEOUT_MS;
  const shutdown = (signal: string): void => {
    service.app.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      service.app.log.error({ timeoutMs: shutdownTimeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        service.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => service.app.log.error({ err: reason }, 'unhandled rejection'));
}

/** `main.js migrate`: migrate and exit — 0 when the tables are at the latest version, 1 otherwise. */
async function runMigrations<T extends TObject>(definition: ServiceDefinition<T>, env: Environment): Promise<void> {
  const name = definition.identity.name;
  try {
    await migrateService(definition, env);
    process.exit(0);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${name}: configuration error: ${problem}\n`);
    } else {
      process.stderr.write(`${name}: migration failed: ${(error as Error).message}\n`);
    }
    process.exit(1);
  }
}
