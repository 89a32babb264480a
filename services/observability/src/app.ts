import { authPlugin, createService, serviceClientSecrets, serviceTokenSource, serviceTokenVerifier, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { ObservabilityConfig } from './config.js';
import { startLogs } from './logs/log-setup.js';
import { startMetrics } from './metrics/metrics-setup.js';
import { startMonitoring, type MonitoringDeps } from './monitoring/monitoring-setup.js';
import { observabilityIdentity } from './service-identity.js';
import type { ObservabilityTables } from './tables.js';

export type { ObservabilityTables };
export type ObservabilityDeps = DatabaseServiceDeps<ObservabilityConfig, ObservabilityTables>;

/**
 * Three parts that share only the service around them: logs (ingestion, search, tail), metrics
 * (the query layer and pushed metrics) and monitoring (health history, status, overview, alerts),
 * which reads its traffic figures through the metrics query layer. Each owns its tables, settings
 * and routes.
 */
export async function buildApp(deps: ObservabilityDeps | MonitoringDeps): Promise<ServiceApp> {
  // Before anything is built: a missing or short HS256 secret is a configuration error.
  const verifier = serviceTokenVerifier(deps.config, deps.clock);
  const app = await createService({ identity: observabilityIdentity, config: deps.config, log: deps.log, clock: deps.clock, tracing: deps.tracing });
  await app.register(authPlugin, { verifier });
  await startLogs(app, deps);
  // Observability calls the registry as itself (the modules' health and /metrics targets).
  const secret = serviceClientSecrets(deps.config.SERVICE_CLIENT_SECRETS).get('observability');
  const tokens = secret ? serviceTokenSource({ http: deps.http, authUrl: deps.config.AUTH_SERVICE_URL, clientId: 'observability', clientSecret: secret, clock: deps.clock }) : undefined;
  const metrics = await startMetrics(app, deps, tokens);
  await startMonitoring(app, deps, { tokens, metrics });
  return app;
}
