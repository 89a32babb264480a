import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError, type AddressPolicy, type Identity } from '@lift/kit';
import type { AlertRuleRow } from '../store/monitoring-store.js';
import { isoAt, type MonitoringDomain } from './monitoring-domain.js';
import { monitoringErrorCodes } from './monitoring-errors.js';
import type { AlertRuleKind, AlertSeverity } from './monitoring-tables.js';
import { isPlatformService, platformServices } from './platform-services.js';
import { webhookUrlProblem } from './webhook-url-guard.js';

export interface NotificationChannel {
  readonly type: 'webhook' | 'slack';
  readonly url: string;
}

export interface AlertRuleInput {
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly target?: string | undefined;
  readonly checks?: number | undefined;
  readonly thresholdPercent?: number | undefined;
  readonly thresholdMs?: number | undefined;
  readonly forSeconds?: number | undefined;
  readonly severity?: AlertSeverity | undefined;
  readonly enabled?: boolean | undefined;
  readonly channels?: readonly NotificationChannel[] | undefined;
}

export interface AlertRule {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly target: string;
  readonly checks: number | null;
  readonly thresholdPercent: number | null;
  readonly thresholdMs: number | null;
  readonly forSeconds: number | null;
  readonly severity: AlertSeverity;
  readonly enabled: boolean;
  readonly channels: NotificationChannel[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The fields each kind takes (the others are refused), and the defaults of the optional ones. */
const kindFields: Record<AlertRuleKind, { required: readonly (keyof AlertRuleInput)[]; defaults: Partial<Record<'checks' | 'forSeconds', number>> }> = {
  service_down: { required: [], defaults: { checks: 3 } },
  error_rate: { required: ['thresholdPercent'], defaults: { forSeconds: 300 } },
  latency_p95: { required: ['thresholdMs'], defaults: { forSeconds: 300 } },
  module_unhealthy: { required: [], defaults: {} },
};
const parameterFields = ['checks', 'thresholdPercent', 'thresholdMs', 'forSeconds'] as const;
const allowedFields: Record<AlertRuleKind, readonly string[]> = {
  service_down: ['checks'],
  error_rate: ['thresholdPercent', 'forSeconds'],
  latency_p95: ['thresholdMs', 'forSeconds'],
  module_unhealthy: [],
};
const moduleIdPattern = /^[a-z][a-z0-9-]{1,47}$/;

/** The rules seeded at first start (docs/api/observability-service.md lists them). */
export const defaultAlertRules: readonly AlertRuleInput[] = [
  { name: 'Service down', kind: 'service_down', target: '*', checks: 3, severity: 'critical' },
  { name: 'High error rate', kind: 'error_rate', target: '*', thresholdPercent: 5, forSeconds: 300, severity: 'warning' },
  { name: 'Slow responses', kind: 'latency_p95', target: '*', thresholdMs: 1_000, forSeconds: 300, severity: 'warning' },
  { name: 'Module unhealthy', kind: 'module_unhealthy', target: '*', severity: 'warning' },
];

const invalid = (field: string, detail: string) => new InvalidInputError(monitoringErrorCodes.ruleInvalid, detail, { field });

/** Checks what a schema cannot: fields that fit the kind, a target that can be one, webhook URLs observability may call. */
async function checkedRule(input: AlertRuleInput, policy: AddressPolicy): Promise<Omit<AlertRuleRow, 'id' | 'created_at' | 'updated_at' | 'updated_by'>> {
  const fields = kindFields[input.kind];
  for (const field of parameterFields) {
    if (input[field] !== undefined && !allowedFields[input.kind].includes(field)) throw invalid(`body.${field}`, `A ${input.kind} rule takes no ${field}; it takes ${allowedFields[input.kind].join(', ') || 'no parameters'}.`);
  }
  for (const field of fields.required) if (input[field] === undefined) throw invalid(`body.${field}`, `A ${input.kind} rule needs ${field}.`);
  const target = input.target ?? '*';
  if (target !== '*') {
    if (input.kind === 'module_unhealthy' ? !moduleIdPattern.test(target) || isPlatformService(target) : !isPlatformService(target)) {
      const what = input.kind === 'module_unhealthy' ? 'a module id (lower-case letters, digits and dashes)' : `one of the services (${platformServices.join(', ')})`;
      throw invalid('body.target', `target "${target}" is not ${what} or * for all.`);
    }
  }
  const channels = input.channels ?? [];
  for (const [index, channel] of channels.entries()) {
    const problem = await webhookUrlProblem(channel.url, policy);
    if (problem) throw new InvalidInputError(monitoringErrorCodes.webhookUrlRefused, `The ${channel.type} URL ${problem}.`, { field: `body.channels[${index}].url` });
  }
  const forSeconds = input.forSeconds ?? fields.defaults.forSeconds;
  return {
    name: input.name.trim(),
    kind: input.kind,
    target,
    checks: input.checks ?? fields.defaults.checks ?? null,
    threshold: input.thresholdPercent ?? input.thresholdMs ?? null,
    for_ms: forSeconds === undefined ? null : forSeconds * 1000,
    severity: input.severity ?? 'warning',
    enabled: input.enabled === false ? 0 : 1,
    channels: JSON.stringify(channels),
  };
}

export function alertRuleView(row: AlertRuleRow): AlertRule {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: row.target,
    checks: row.checks,
    thresholdPercent: row.kind === 'error_rate' ? row.threshold : null,
    thresholdMs: row.kind === 'latency_p95' ? row.threshold : null,
    forSeconds: row.for_ms === null ? null : row.for_ms / 1000,
    severity: row.severity,
    enabled: row.enabled === 1,
    channels: JSON.parse(row.channels) as NotificationChannel[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/**
 * A channel's URL is a credential (a Slack webhook URL is all it takes to post): readers without
 * observability:admin see only where it goes.
 */
export function withoutSecrets(rule: AlertRule): AlertRule {
  return { ...rule, channels: rule.channels.map((channel) => ({ type: channel.type, url: `${safeOrigin(channel.url)}/…` })) };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

async function newRuleRow(domain: MonitoringDomain, policy: AddressPolicy, input: AlertRuleInput, by: string): Promise<AlertRuleRow> {
  const at = isoAt(domain.clock.now());
  return { id: randomUUID(), ...(await checkedRule(input, policy)), created_at: at, updated_at: at, updated_by: by };
}

export async function createAlertRule(domain: MonitoringDomain, policy: AddressPolicy, input: AlertRuleInput, by: Identity): Promise<AlertRule> {
  const row = await newRuleRow(domain, policy, input, by.subject);
  await domain.store.alerts.insertRule(row);
  return alertRuleView(row);
}

export async function getAlertRule(domain: MonitoringDomain, id: string): Promise<AlertRuleRow> {
  const row = await domain.store.alerts.rule(id);
  if (!row) throw new NotFoundError(monitoringErrorCodes.ruleNotFound, `No alert rule ${id}; GET /v1/alert-rules lists them.`);
  return row;
}

export async function replaceAlertRule(domain: MonitoringDomain, policy: AddressPolicy, id: string, input: AlertRuleInput, by: Identity): Promise<AlertRule> {
  const existing = await getAlertRule(domain, id);
  const row: AlertRuleRow = { ...existing, ...(await checkedRule(input, policy)), updated_at: isoAt(domain.clock.now()), updated_by: by.subject };
  if (!(await domain.store.alerts.updateRule(row))) throw new NotFoundError(monitoringErrorCodes.ruleNotFound, `No alert rule ${id}; GET /v1/alert-rules lists them.`);
  return alertRuleView(row);
}

/** Deletes a rule; its open alerts resolve at the next evaluation (their rule is gone). */
export async function deleteAlertRule(domain: MonitoringDomain, id: string): Promise<void> {
  if (!(await domain.store.alerts.deleteRule(id))) throw new NotFoundError(monitoringErrorCodes.ruleNotFound, `No alert rule ${id}; GET /v1/alert-rules lists them.`);
}

/** The default rules, once per installation (whichever replica starts first seeds them). */
export async function seedDefaultRules(domain: MonitoringDomain, policy: AddressPolicy): Promise<void> {
  if (await domain.store.alerts.marker('default-rules')) return;
  const rows = await Promise.all(defaultAlertRules.map((rule) => newRuleRow(domain, policy, rule, 'system')));
  // The marker and the rules commit together; a replica that loses the race to the marker adds none.
  await domain.store.transaction(async (queries) => {
    if (!(await queries.alerts.setMarker('default-rules', isoAt(domain.clock.now())))) return;
    for (const row of rows) await queries.alerts.insertRule(row);
  });
}
