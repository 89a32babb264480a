import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const observabilityIdentity: ServiceIdentity = {
  name: 'observability',
  version: packageJson.version,
  description: 'Health history, logs, metrics and alerts for every service and module.',
  tags: {
    logs: 'Log lines of every service: ingestion, search and live tail',
    status: 'The platform\'s public status: names and states only',
    health: 'Health of the services and modules over time, the overview, and probes of the observability service',
    alerts: 'Alert rules, alerts (firing, acknowledged, resolved) and their notifications',
    metrics: 'Request rate, error ratio and latency of every service and module, from observability\'s own scrapes or Prometheus; metrics pushed by modules',
  },
};
