import { authPlugin, createService, serviceTokenVerifier, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { ObservabilityConfig } from './config.js';
import { startLogs } from './logs/log-setup.js';
import { startMonitoring, type MonitoringDeps } from './monitoring/monitoring-setup.js';
import { observabilityIdentity } from './service-identity.js';
import type { ObservabilityTables } from './tables.js';

export type { ObservabilityTables };
export type ObservabilityDeps = DatabaseServiceDeps<ObservabilityConfig, ObservabilityTables>;

/**
 * Two halves that share only the service around them: logs (ingestion, search, tail) and
 * monitoring (health history, status, overview, alerts). Each owns its tables, settings and routes.
 */
export async function buildApp(deps: ObservabilityDeps | MonitoringDeps): Promise<ServiceApp> {
  // Before anything is built: a missing or short HS256 secret is a configuration error.
  const verifier = serviceTokenVerifier(deps.config, deps.clock);
  const app = await createService({ identity: observabilityIdentity, config: deps.config, log: deps.log, clock: deps.clock, tracing: deps.tracing });
  await app.register(authPlugin, { verifier });
  await startLogs(app, deps);
  await startMonitoring(app, deps);
  return app;
}
