import type { Clock, HttpClient, SharedState } from '@lift/kit';
import type { Logger } from 'pino';
import type { ObservabilityConfig } from '../config.js';
import type { MonitoringStore } from '../store/monitoring-store.js';
import type { ServiceMetricsSource } from './service-metrics-source.js';

/** What the monitoring half's rules take: its settings, store, clock and the metrics it reads. */
export interface MonitoringDomain {
  readonly config: ObservabilityConfig;
  readonly store: MonitoringStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly http: HttpClient;
  readonly state: SharedState;
  readonly metrics: ServiceMetricsSource;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();
