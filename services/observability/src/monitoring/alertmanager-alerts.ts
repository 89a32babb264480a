import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '@lift/kit';
import { parseIsoTime } from '../logs/iso-time.js';
import type { AlertmanagerAlertDetails, AlertRow } from '../store/monitoring-store.js';
import { alertmanagerFingerprintPrefix } from './alert-notifications.js';
import type { AlertmanagerWebhookPost } from './alertmanager-webhook-schema.js';
import { isoAt, type MonitoringDomain } from './monitoring-domain.js';
import { monitoringErrorCodes } from './monitoring-errors.js';
import type { AlertSeverity } from './monitoring-tables.js';

type AlertmanagerAlert = AlertmanagerWebhookPost['alerts'][number];
export type AlertmanagerOutcome = 'opened' | 'refreshed' | 'resolved' | 'unchanged';

// Prometheus's label names, which Alertmanager 0.25 enforces for labels and annotations alike.
const labelName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const earliest = Date.UTC(1970, 0, 1);
const latest = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const invalid = (field: string, problem: string) => new InvalidInputError(monitoringErrorCodes.alertmanagerPayloadInvalid, `${field} ${problem}`, { field });

// PostgreSQL cannot store NUL in text; nor should anything show it.
function checkText(field: string, text: string): void {
  if (text.includes('\u0000')) throw invalid(field, 'contains a NUL character.');
}

function checkPairs(field: string, pairs: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(pairs ?? {})) {
    if (!labelName.test(name)) throw invalid(`${field}`, `has a name that is no label name (letters, digits and _, not starting with a digit, at most 128): ${JSON.stringify(name.slice(0, 64).replaceAll('\u0000', '\\0'))}.`);
    checkText(`${field}.${name}`, value);
  }
}

/** Epoch ms of an RFC 3339 time from 1970 on; null for one before (Go's zero time, 0001-01-01, is "not known") when `zeroIsUnknown`. */
function timeOf(field: string, text: string, zeroIsUnknown: boolean): number | null {
  const ms = parseIsoTime(text);
  if (Number.isNaN(ms)) throw invalid(field, `is not an RFC 3339 time that exists: ${JSON.stringify(text.replaceAll('\u0000', '\\0'))}.`);
  if (ms < earliest && zeroIsUnknown) return null;
  if (ms < earliest || ms > latest) throw invalid(field, `is outside 1970–9999: ${text}.`);
  return ms;
}

/** What the schema cannot say is wrong with a post; the first problem, as 400 naming its field. */
function checkPost(post: AlertmanagerWebhookPost): { startsAt: string; endsAt: string | null }[] {
  checkText('body.receiver', post.receiver);
  checkText('body.groupKey', post.groupKey);
  checkText('body.externalURL', post.externalURL ?? '');
  checkPairs('body.groupLabels', post.groupLabels);
  checkPairs('body.commonLabels', post.commonLabels);
  checkPairs('body.commonAnnotations', post.commonAnnotations);
  return post.alerts.map((alert, index) => {
    const field = `body.alerts[${index}]`;
    checkPairs(`${field}.labels`, alert.labels);
    checkPairs(`${field}.annotations`, alert.annotations);
    checkText(`${field}.generatorURL`, alert.generatorURL);
    const startsAt = timeOf(`${field}.startsAt`, alert.startsAt, false) as number;
    const endsAt = timeOf(`${field}.endsAt`, alert.endsAt, true);
    return { startsAt: isoAt(startsAt), endsAt: endsAt === null ? null : isoAt(endsAt) };
  });
}

const severities: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** The `severity` label when it is one of ours (any case), else warning. */
function severityOf(labels: Readonly<Record<string, string>>): AlertSeverity {
  const label = labels.severity?.toLowerCase();
  return severities.find((severity) => severity === label) ?? 'warning';
}

/** The alert list's fields from Alertmanager's labels and annotations (docs: the mapping table). */
function detailsOf(alert: AlertmanagerAlert, receiver: string, endsAt: string | null, at: string): AlertmanagerAlertDetails {
  const { labels, annotations } = alert;
  const name = labels.alertname || 'Alertmanager alert';
  return {
    rule_name: name,
    target: labels.service || labels.module || labels.job || labels.instance || 'unknown',
    severity: severityOf(labels),
    summary: annotations.summary || annotations.description || annotations.message || name,
    ends_at: endsAt,
    labels: JSON.stringify(labels),
    annotations: JSON.stringify(annotations),
    generator_url: alert.generatorURL,
    receiver,
    received_at: at,
  };
}

async function receiveFiring(domain: MonitoringDomain, fingerprint: string, startsAt: string, details: AlertmanagerAlertDetails): Promise<AlertmanagerOutcome> {
  const { alertmanager } = domain.store;
  if (await alertmanager.refreshOpen(fingerprint, startsAt, details)) return 'refreshed';
  // Checked, then inserted: a later occurrence arriving in between still leaves one open alert per
  // fingerprint (the unique index), only possibly the earlier occurrence's.
  if (await alertmanager.laterOccurrenceKnown(fingerprint, startsAt)) return 'unchanged';
  const row: AlertRow = {
    ...details,
    id: randomUUID(),
    source: 'alertmanager',
    rule_id: '',
    fingerprint,
    kind: '',
    state: 'firing',
    fired_at: details.received_at as string,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    starts_at: startsAt,
  };
  if (await alertmanager.openIfNew(row)) return 'opened';
  // A parallel post of the same alert opened it a moment ago: this one refreshes it. Otherwise the
  // occurrence is resolved already (by Alertmanager, or by hand: it stays so), or a later one is open.
  return (await alertmanager.refreshOpen(fingerprint, startsAt, details)) ? 'refreshed' : 'unchanged';
}

/**
 * One post of Alertmanager's into the alert list, alert by alert: one alert per occurrence
 * (fingerprint + startsAt), one open per fingerprint. Firing opens or refreshes it (its state —
 * firing or acknowledged — stays); resolved resolves it by `alertmanager`. No notification goes
 * out: Alertmanager notifies on its own.
 */
export async function receiveAlertmanagerPost(domain: MonitoringDomain, post: AlertmanagerWebhookPost): Promise<Record<AlertmanagerOutcome, number>> {
  const times = checkPost(post);
  const at = isoAt(domain.clock.now());
  const counts: Record<AlertmanagerOutcome, number> = { opened: 0, refreshed: 0, resolved: 0, unchanged: 0 };
  if (post.truncatedAlerts) domain.log.warn({ truncatedAlerts: post.truncatedAlerts, groupKey: post.groupKey }, 'Alertmanager left alerts out of its post (max_alerts)');
  for (const [index, alert] of post.alerts.entries()) {
    const { startsAt, endsAt } = times[index] as { startsAt: string; endsAt: string | null };
    const fingerprint = `${alertmanagerFingerprintPrefix}${alert.fingerprint.toLowerCase()}`;
    const details = detailsOf(alert, post.receiver, endsAt, at);
    const outcome = alert.status === 'firing' ? await receiveFiring(domain, fingerprint, startsAt, details) : (await domain.store.alertmanager.resolveOpen(fingerprint, startsAt, details)) ? 'resolved' : 'unchanged';
    counts[outcome] += 1;
  }
  return counts;
}
