import { addressPolicyFrom, type ServiceApp, type ServiceTokenSource } from '@lift/kit';
import type { ObservabilityDeps } from '../app.js';
import { monitoringStore } from '../store/monitoring-store.js';
import { seedDefaultRules } from './alert-rules.js';
import type { MonitoringDomain } from './monitoring-domain.js';
import { startMonitorLoop, type MonitorLoop, type RoundReport } from './monitor-loop.js';
import { platformServices, platformServiceUrls } from './platform-services.js';
import { registryModuleHealth } from './registry-module-health.js';
import { alertmanagerRoutes } from './routes/alertmanager-routes.js';
import { alertRoutes } from './routes/alert-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import type { MetricsQueryLayer } from '../metrics/metrics-query.js';
import { queryLayerTraffic } from './query-layer-traffic.js';
import type { ServiceMetricsSource } from './service-metrics-source.js';
import { webhookSender } from './webhook-sender.js';

/** What tests may pass beside the service's deps. */
export type MonitoringDeps = ObservabilityDeps & {
  /** false: no timer; rounds run only through `app.runMonitoringRound()` (tests). */
  readonly monitorOnTimer?: boolean;
  /** Where traffic figures come from instead of the metrics query layer. */
  readonly serviceMetrics?: ServiceMetricsSource;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** One health monitor round now, if this replica holds the lease (what the timer does every SERVICE_CHECK_INTERVAL_MS). */
    runMonitoringRound(): Promise<RoundReport>;
  }
}

/** Health monitor, status, overview, alert rules, alerts and notifications: routes and background work. */
export async function startMonitoring(app: ServiceApp, deps: MonitoringDeps, shared: { tokens: ServiceTokenSource | undefined; metrics: MetricsQueryLayer }): Promise<void> {
  const { config } = deps;
  // Before anything is built: a bad CIDR is a configuration error.
  const webhookPolicy = addressPolicyFrom(config.ALERT_WEBHOOK_ALLOWED_NETWORKS, 'ALERT_WEBHOOK_ALLOWED_NETWORKS');
  const store = monitoringStore(deps.database.db);
  const { tokens } = shared;
  const metrics = deps.serviceMetrics ?? queryLayerTraffic(shared.metrics, platformServices, deps.log);
  const domain: MonitoringDomain = { config, store, clock: deps.clock, log: deps.log, http: deps.http, state: deps.state, metrics };
  const sources = {
    modules: registryModuleHealth({ http: deps.http, registryUrl: platformServiceUrls(config).registry, tokens, timeoutMs: config.SERVICE_CHECK_TIMEOUT_MS, log: deps.log }),
    sender: webhookSender(domain, webhookPolicy),
  };

  await healthRoutes(app, domain);
  await alertRoutes(app, domain, webhookPolicy);
  await alertmanagerRoutes(app, domain);

  const manual = startMonitorLoop(domain, sources, { onTimer: false });
  let timed: MonitorLoop | undefined;
  let closing = false;
  const ready = deps.database.migrated.then(() => seedDefaultRules(domain, webhookPolicy));
  void ready
    .then(() => {
      if (deps.monitorOnTimer !== false && !closing) timed = startMonitorLoop(domain, sources, { onTimer: true });
    })
    .catch((error: unknown) => deps.log.error({ err: error }, 'the health monitor could not start'));
  app.decorate('runMonitoringRound', async () => {
    await ready;
    return manual.runRound();
  });
  app.addHook('onClose', async () => {
    closing = true;
    await timed?.stop();
    await manual.stop();
    await sources.sender.close();
  });
}
