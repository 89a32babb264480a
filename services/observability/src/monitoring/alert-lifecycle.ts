import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type Identity } from '@lift/kit';
import type { AlertRow, AlertRuleRow } from '../store/monitoring-store.js';
import { alertView, notificationsFor, type Alert } from './alert-notifications.js';
import type { NotificationChannel } from './alert-rules.js';
import { isoAt, type MonitoringDomain } from './monitoring-domain.js';
import { monitoringErrorCodes } from './monitoring-errors.js';

const channelsOf = (rule: AlertRuleRow | undefined): NotificationChannel[] => (rule ? (JSON.parse(rule.channels) as NotificationChannel[]) : []);

export const fingerprintOf = (ruleId: string, target: string) => `${ruleId}:${target}`;

const noAlertmanagerDetails = { starts_at: null, ends_at: null, labels: null, annotations: null, generator_url: null, receiver: null, received_at: null } as const;

/** Opens an alert for the rule and target unless one is open; its notifications go out with it. */
export async function fireAlert(domain: MonitoringDomain, rule: AlertRuleRow, target: string, summary: string): Promise<boolean> {
  const at = isoAt(domain.clock.now());
  const row: AlertRow = {
    id: randomUUID(),
    source: 'rule',
    rule_id: rule.id,
    fingerprint: fingerprintOf(rule.id, target),
    rule_name: rule.name,
    kind: rule.kind,
    target,
    severity: rule.severity,
    state: 'firing',
    summary,
    fired_at: at,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    ...noAlertmanagerDetails,
  };
  return domain.store.transaction(async (queries) => {
    if (!(await queries.alerts.openAlert(row))) return false;
    await queries.alerts.insertDeliveries(notificationsFor(channelsOf(rule), 'firing', alertView(row), at));
    return true;
  });
}

async function refusal(domain: MonitoringDomain, id: string, action: 'acknowledge' | 'resolve'): Promise<Error> {
  const alert = await domain.store.alerts.alert(id);
  if (!alert) return new NotFoundError(monitoringErrorCodes.alertNotFound, `No alert ${id}; GET /v1/alerts lists them.`);
  if (alert.state === 'resolved') return new ConflictError(monitoringErrorCodes.alertResolved, `Alert ${id} was resolved at ${alert.resolved_at} by ${alert.resolved_by}; there is nothing to ${action}.`);
  return new ConflictError(monitoringErrorCodes.alertAcknowledged, `Alert ${id} was acknowledged at ${alert.acknowledged_at} by ${alert.acknowledged_by}.`);
}

/** firing → acknowledged, once: of two people acknowledging at once, one wins and the other hears 409. */
export async function acknowledgeAlert(domain: MonitoringDomain, id: string, by: Identity): Promise<Alert> {
  const at = isoAt(domain.clock.now());
  if (!(await domain.store.alerts.transition(id, ['firing'], { state: 'acknowledged', at, by: by.subject }))) throw await refusal(domain, id, 'acknowledge');
  return alertView((await domain.store.alerts.alert(id)) as AlertRow);
}

/**
 * firing or acknowledged → resolved, by a person (`by`) or by the evaluator when the condition
 * cleared (`system`); a rule's channels hear of it. Resolving a rule's alert while the condition
 * still holds opens a new alert at the next evaluation; resolving Alertmanager's keeps that
 * occurrence resolved (alertmanager-alerts.ts), and nobody is notified: Alertmanager notifies on
 * its own.
 */
export async function resolveAlert(domain: MonitoringDomain, id: string, by: Identity | 'system'): Promise<Alert> {
  const at = isoAt(domain.clock.now());
  const resolved = await domain.store.transaction(async (queries) => {
    if (!(await queries.alerts.transition(id, ['firing', 'acknowledged'], { state: 'resolved', at, by: by === 'system' ? 'system' : by.subject }))) return undefined;
    const row = (await queries.alerts.alert(id)) as AlertRow;
    if (row.source === 'rule') await queries.alerts.insertDeliveries(notificationsFor(channelsOf(await queries.alerts.rule(row.rule_id)), 'resolved', alertView(row), at));
    return row;
  });
  if (!resolved) throw await refusal(domain, id, 'resolve');
  return alertView(resolved);
}
