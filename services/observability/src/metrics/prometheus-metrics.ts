import { DependencyUnavailableError, type HttpClient } from '@lift/kit';
import { metricsErrorCodes } from './metrics-errors.js';
import { quantileOf, sortGroups, type GroupLabel, type MetricsGroup, type MetricsQuery, type MetricsQueryLayer } from './metrics-query.js';
import { monitorRoutes } from './request-series.js';

export interface PrometheusMetricsOptions {
  readonly http: HttpClient;
  readonly prometheusUrl: string;
  readonly timeoutMs: number;
}

/** The most of an answer read, and the most groups taken from it: a grouping by route on a large platform stays bounded. */
const maxAnswerBytes = 4 * 1024 * 1024;
const maxGroups = 5_000;
const maxWindowMs = 31 * 86_400_000;

interface PrometheusAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: unknown;
}

interface VectorEntry {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isVectorEntry = (entry: unknown): entry is VectorEntry =>
  isObject(entry) &&
  isObject(entry.metric) &&
  Object.values(entry.metric).every((label) => typeof label === 'string') &&
  Array.isArray(entry.value) &&
  entry.value.length === 2 &&
  typeof entry.value[0] === 'number' &&
  typeof entry.value[1] === 'string';

/** The instant vector of a successful answer, each entry checked (labels strings, a `[time, "value"]` pair); undefined when it is not one. */
function vectorOf(data: unknown): readonly VectorEntry[] | undefined {
  if (!isObject(data) || data.resultType !== 'vector' || !Array.isArray(data.result)) return undefined;
  const result: unknown[] = data.result.slice(0, maxGroups);
  return result.every(isVectorEntry) ? result : undefined;
}

const quoted = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** The PromQL that answers a query, the same figures self-scraping gives. */
export function promqlOf(query: MetricsQuery): string {
  const matchers = [`route!~${quoted(monitorRoutes.join('|'))}`];
  if (query.service !== undefined) matchers.push(`service=${quoted(query.service)}`);
  if (query.route !== undefined) matchers.push(`route=${quoted(query.route)}`);
  const range = `[${Math.round(query.windowMs / 1000)}s]`;
  const by = (extra: readonly string[] = []) => `sum by (${[...extra, ...query.groupBy].join(', ')})`;
  const requests = (more = '') => `${by()} (rate(http_requests_total{${[...matchers, ...(more ? [more] : [])].join(', ')}}${range}))`;
  const quantile = quantileOf[query.metric];
  if (query.metric === 'rate') return requests();
  // Groups without any 5xx answer 0, not nothing.
  if (query.metric === 'error_ratio') return `(${requests('status=~"5.."')} or ${requests()} * 0) / ${requests()}`;
  return `histogram_quantile(${quantile ?? 0.5}, ${by(['le'])} (rate(http_request_duration_seconds_bucket{${matchers.join(', ')}}${range})))`;
}

/**
 * The query layer over Prometheus's HTTP API (`/api/v1/query`): what it has scraped — the six
 * services, the modules through the registry's discovery, and observability's /metrics with what
 * modules pushed — answers, guarded by a deadline and an answer size. Nothing is collected here.
 */
export function prometheusMetrics(options: PrometheusMetricsOptions): MetricsQueryLayer {
  const base = options.prometheusUrl.replace(/\/+$/, '');
  const unavailable = (why: string, cause?: unknown) =>
    new DependencyUnavailableError(metricsErrorCodes.prometheusUnavailable, `Prometheus at ${base} did not answer the query (${why}); check PROMETHEUS_URL and that Prometheus is up.`, cause === undefined ? {} : { cause });
  return {
    source: 'prometheus',
    maxWindowMs,
    collect: async () => undefined,
    query: async (query, now) => {
      const url = `${base}/api/v1/query?${new URLSearchParams({ query: promqlOf(query), time: String(now / 1000), timeout: `${options.timeoutMs}ms` }).toString()}`;
      let answer: PrometheusAnswer;
      try {
        const response = await options.http.call(url, { timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: maxAnswerBytes, headers: { accept: 'application/json' } });
        answer = await response.json<PrometheusAnswer>();
        if (response.status !== 200 || answer.status !== 'success') throw unavailable(`status ${response.status}: ${answer.error ?? 'no error given'}`);
      } catch (error) {
        if (error instanceof DependencyUnavailableError) throw error;
        throw unavailable(error instanceof Error ? error.message : String(error), error);
      }
      // What the PromQL above gives is an instant vector; anything else is an answer this layer cannot read.
      const result = vectorOf(answer.data);
      if (result === undefined) throw unavailable('an answer that is no instant vector of labelled values');
      const groups = result.slice(0, maxGroups).map((entry): MetricsGroup => {
        const value = Number(entry.value[1]);
        return {
          labels: Object.fromEntries(query.groupBy.map((label) => [label, entry.metric[label] ?? ''])) as Partial<Record<GroupLabel, string>>,
          value: Number.isFinite(value) ? value : null,
        };
      });
      return sortGroups(groups);
    },
    coveredMs: async (windowMs) => windowMs,
  };
}
