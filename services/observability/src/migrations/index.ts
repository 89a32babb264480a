import type { ServiceMigrations } from '@lift/kit';
import { logsMigration } from './0001-logs.js';
import { monitoringMigration } from './0002-monitoring.js';
import { alertmanagerAlertsMigration } from './0003-alertmanager-alerts.js';
import { metricSeriesMigration } from './0004-metric-series.js';

/** The observability service's tables, oldest first. Never edit a migration that has shipped; add one. */
export const observabilityMigrations: ServiceMigrations = {
  '0001_logs': logsMigration,
  '0002_monitoring': monitoringMigration,
  '0003_alertmanager_alerts': alertmanagerAlertsMigration,
  '0004_metric_series': metricSeriesMigration,
};
