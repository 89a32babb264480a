import type { LogTables } from './logs/log-tables.js';
import type { MetricsTables } from './metrics/metrics-tables.js';
import type { MonitoringTables } from './monitoring/monitoring-tables.js';

/** The tables of this service's database, for Kysely's typed queries. */
export interface ObservabilityTables extends LogTables, MonitoringTables, MetricsTables {}
