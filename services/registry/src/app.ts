import { addressPolicyFrom, authPlugin, createService, serviceTokenVerifier, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { RegistryConfig } from './config.js';
import { startHealthChecker } from './health-checker.js';
import { registryIdentity } from './service-identity.js';
import type { RegistryDomain } from './registry-domain.js';
import { warnAboutReservedModules } from './reserved-modules.js';
import { discoveryRoutes } from './routes/discovery-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { moduleRoutes } from './routes/module-routes.js';
import type { RegistryTables } from './tables.js';
import { registryStore } from './store.js';
import { platformEndpoints } from './url-guard.js';

export type { RegistryTables };
export type RegistryDeps = DatabaseServiceDeps<RegistryConfig, RegistryTables> & {
  /** Tests drive health rounds themselves (`runHealthChecks`) instead of the timer. */
  readonly healthChecksOnTimer?: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** One round of module health checks now (what the timer does every HEALTH_CHECK_INTERVAL_MS). */
    runHealthChecks(): Promise<void>;
  }
}

export async function buildApp(deps: RegistryDeps): Promise<ServiceApp> {
  const { config } = deps;
  // Before anything is built: a missing or short HS256 secret, or a bad CIDR, is a configuration error.
  const verifier = serviceTokenVerifier(config, deps.clock);
  const addresses = addressPolicyFrom(config.MODULE_URL_ALLOWED_NETWORKS);
  let timed: ReturnType<typeof startHealthChecker> | undefined;
  const domain: RegistryDomain = {
    config,
    store: registryStore(deps.database.db),
    clock: deps.clock,
    state: deps.state,
    log: deps.log,
    urlPolicy: platformEndpoints([
      config.GATEWAY_URL,
      config.AUTH_SERVICE_URL,
      config.BILLING_SERVICE_URL,
      config.MEMORY_SERVICE_URL,
      config.OBSERVABILITY_SERVICE_URL,
      config.REGISTRY_SERVICE_URL,
    ]).then((endpoints) => ({ addresses, platformEndpoints: endpoints })),
    onModuleChanged: () => {
      void timed?.runOnce().catch((error: unknown) => deps.log.warn({ err: error }, 'checking a changed module failed'));
    },
  };
  const app = await createService({ identity: registryIdentity, config, log: deps.log, clock: deps.clock, tracing: deps.tracing });
  await app.register(authPlugin, { verifier });
  await moduleRoutes(app, domain);
  await healthRoutes(app, domain);
  await discoveryRoutes(app, domain);

  void deps.database.migrated.then(() => warnAboutReservedModules(domain)).catch((error: unknown) => deps.log.warn({ err: error }, 'looking for modules under reserved ids failed'));

  const onTimer = deps.healthChecksOnTimer !== false;
  const checker = startHealthChecker(domain, { onTimer: false });
  // The timer starts once the tables exist; tests run rounds themselves.
  if (onTimer) void deps.database.migrated.then(() => (timed = startHealthChecker(domain)));
  app.decorate('runHealthChecks', () => checker.runOnce());
  app.addHook('onClose', async () => {
    await timed?.stop();
    await checker.stop();
  });
  return app;
}
