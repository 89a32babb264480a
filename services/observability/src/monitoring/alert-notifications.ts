import { randomUUID } from 'node:crypto';
import type { AlertRow, DeliveryRow } from '../store/monitoring-store.js';
import type { NotificationChannel } from './alert-rules.js';
import type { AlertRuleKind, AlertSeverity, AlertSource, AlertState } from './monitoring-tables.js';

/** What Alertmanager said of one of its alerts, as it said it (its latest post). */
export interface AlertmanagerDetails {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly generatorUrl: string;
  readonly receiver: string;
  readonly receivedAt: string;
}

export interface Alert {
  readonly id: string;
  readonly source: AlertSource;
  /** null for Alertmanager's. */
  readonly ruleId: string | null;
  readonly ruleName: string;
  readonly kind: AlertRuleKind | null;
  readonly target: string;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly summary: string;
  readonly firedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly alertmanager: AlertmanagerDetails | null;
}

export const alertmanagerFingerprintPrefix = 'alertmanager:';

function alertmanagerDetails(row: AlertRow): AlertmanagerDetails | null {
  if (row.source !== 'alertmanager') return null;
  return {
    fingerprint: row.fingerprint.slice(alertmanagerFingerprintPrefix.length),
    labels: JSON.parse(row.labels ?? '{}') as Record<string, string>,
    annotations: JSON.parse(row.annotations ?? '{}') as Record<string, string>,
    startsAt: row.starts_at ?? '',
    endsAt: row.ends_at,
    generatorUrl: row.generator_url ?? '',
    receiver: row.receiver ?? '',
    receivedAt: row.received_at ?? row.fired_at,
  };
}

export function alertView(row: AlertRow): Alert {
  return {
    id: row.id,
    source: row.source,
    ruleId: row.rule_id === '' ? null : row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind === '' ? null : row.kind,
    target: row.target,
    severity: row.severity,
    state: row.state,
    summary: row.summary,
    firedAt: row.fired_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    alertmanager: alertmanagerDetails(row),
  };
}

const slackIcon: Record<AlertSeverity, string> = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' };

/**
 * The body each channel receives. Generic webhooks get the alert as JSON with a delivery id to
 * drop duplicates by (retries are at least once); Slack's incoming webhooks take `text`.
 */
function payloadFor(channel: NotificationChannel, event: 'firing' | 'resolved', alert: Alert, deliveryId: string): string {
  if (channel.type === 'slack') {
    const headline = event === 'firing' ? `${slackIcon[alert.severity]} *${alert.ruleName}* firing for \`${alert.target}\` (${alert.severity})` : `:white_check_mark: *${alert.ruleName}* resolved for \`${alert.target}\``;
    return JSON.stringify({ text: `${headline}\n${alert.summary}` });
  }
  return JSON.stringify({ type: `alert.${event}`, deliveryId, alert });
}

/** Outbox rows for one alert event, one per channel, due now; written in the alert's own transaction. */
export function notificationsFor(channels: readonly NotificationChannel[], event: 'firing' | 'resolved', alert: Alert, at: string): DeliveryRow[] {
  return channels.map((channel) => {
    const id = randomUUID();
    return {
      id,
      alert_id: alert.id,
      event,
      channel_type: channel.type,
      url: channel.url,
      payload: payloadFor(channel, event, alert, id),
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      last_attempt_at: null,
      last_status: null,
      last_error: null,
      created_at: at,
      delivered_at: null,
    };
  });
}
