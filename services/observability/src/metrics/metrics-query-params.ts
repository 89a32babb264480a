import { InvalidInputError } from '@lift/kit';
import { metricsErrorCodes } from './metrics-errors.js';
import { groupLabels, queryMetrics, type GroupLabel, type MetricsQuery, type QueryMetric } from './metrics-query.js';

const units = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const minWindowMs = 10_000;

const bad = (field: string, detail: string) => new InvalidInputError(metricsErrorCodes.badQuery, detail, { field });

/** `5m` → 300 000 ms; whole numbers of s, m, h or d, between 10 s and `maxMs`. */
export function windowMsOf(text: string, maxMs: number): number {
  const match = /^(\d{1,7})([smhd])$/.exec(text);
  if (!match) throw bad('window', `"${text}" is no window: a whole number and s, m, h or d (5m, 1h).`);
  const ms = Number(match[1]) * units[match[2] as keyof typeof units];
  if (ms < minWindowMs || ms > maxMs) throw bad('window', `The window must be between 10s and ${maxMs / 3_600_000}h (METRICS_RETENTION_HOURS without Prometheus).`);
  return ms;
}

/** The query string of /v1/metrics/query as a query, or a 400 naming the field. */
export function metricsQueryOf(params: { metric: string; window?: string; groupBy?: string; service?: string; route?: string }, maxWindowMs: number): MetricsQuery {
  if (!(queryMetrics as readonly string[]).includes(params.metric)) throw bad('metric', `"${params.metric}" is no metric; choose one of ${queryMetrics.join(', ')}.`);
  const groupBy = (params.groupBy ?? '').split(',').map((label) => label.trim()).filter((label) => label !== '');
  for (const label of groupBy) if (!(groupLabels as readonly string[]).includes(label)) throw bad('groupBy', `"${label}" cannot be grouped by; choose among ${groupLabels.join(', ')}.`);
  return {
    metric: params.metric as QueryMetric,
    windowMs: windowMsOf(params.window ?? '5m', maxWindowMs),
    groupBy: [...new Set(groupBy)] as GroupLabel[],
    ...(params.service === undefined ? {} : { service: params.service }),
    ...(params.route === undefined ? {} : { route: params.route }),
  };
}
