import type { Kysely } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { ObservabilityTables } from '../tables.js';
import { monitoringAlertmanagerStore } from './monitoring-alertmanager-store.js';
import { monitoringAlertsStore } from './monitoring-alerts-store.js';
import { monitoringHealthStore } from './monitoring-health-store.js';

export type { AlertmanagerAlertDetails } from './monitoring-alertmanager-store.js';
export type { AlertPosition, AlertRow, AlertRuleRow, DeliveryRow } from './monitoring-alerts-store.js';
export type { CheckHourRow, MonitoredTargetRow, ServiceCheckRow } from './monitoring-health-store.js';

function monitoringQueries(db: Kysely<ObservabilityTables>) {
  return { health: monitoringHealthStore(db), alerts: monitoringAlertsStore(db), alertmanager: monitoringAlertmanagerStore(db) };
}

export type MonitoringQueries = ReturnType<typeof monitoringQueries>;
/** The monitoring half's storage seam: every query it makes, and `transaction` for atomic work. */
export type MonitoringStore = TransactionalStore<MonitoringQueries>;

export function monitoringStore(db: Kysely<ObservabilityTables>): MonitoringStore {
  return transactionalStore(db, monitoringQueries);
}
