import type { HttpClient } from '@lift/kit';
import type { Logger } from 'pino';
import { isoAt } from '../monitoring/monitoring-domain.js';
import type { MetricsStore } from '../store/metrics-store.js';
import type { MetricsQueryLayer } from './metrics-query.js';
import { sortGroups } from './metrics-query.js';
import { requestSeriesFromExposition, seriesChanges, seriesKey } from './request-series.js';
import { answerFromChanges, coverageByTarget } from './self-scraped-query.js';

/** A /metrics endpoint to read: a platform service (by name) or a module (`module:<id>`). */
export interface ScrapeTarget {
  readonly name: string;
  /** The `service` every series of the target is counted under, whatever its own labels say. */
  readonly service: string;
  /** Observability's /metrics: its series labelled `module` were pushed by that module and count under it. */
  readonly carriesPushed?: boolean;
  readonly metricsUrl: string;
}

export interface SelfScrapedMetricsOptions {
  readonly http: HttpClient;
  readonly store: MetricsStore;
  readonly log: Logger;
  /** Every round's targets: the six services, then the modules the registry lists. */
  readonly targets: () => Promise<readonly ScrapeTarget[]>;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly retentionHours: number;
  readonly maxTargets: number;
  readonly maxSeriesPerTarget: number;
}

const maxExpositionBytes = 8 * 1024 * 1024;
const readersAtOnce = 16;

/**
 * Observability as its own small time series store: each round the leader reads every target's
 * /metrics, keeps the request series' changes since the previous reading (so every replica
 * answers from the same rows), and drops what is older than the retention. Bounded three ways:
 * targets per round, series per target, and bytes per exposition.
 */
export function selfScrapedMetrics(options: SelfScrapedMetricsOptions): MetricsQueryLayer {
  const { store } = options;
  const retentionMs = options.retentionHours * 3_600_000;
  const capped = new Set<string>();
  const failing = new Set<string>();

  const readOne = async (target: ScrapeTarget, now: number): Promise<void> => {
    const answer = await options.http.call(target.metricsUrl, { timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: maxExpositionBytes, headers: { accept: 'text/plain' } });
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`${target.metricsUrl} answered ${answer.status}`);
    const { series, dropped } = requestSeriesFromExposition(text, target, options.maxSeriesPerTarget);
    if (dropped > 0 && !capped.has(target.name)) options.log.warn({ target: target.name, dropped, cap: options.maxSeriesPerTarget }, 'a target exposes more request series than METRICS_MAX_SERIES_PER_TARGET: the rest are not kept');
    capped[dropped > 0 ? 'add' : 'delete'](target.name);
    const baseline = await store.baseline(target.name);
    const since = baseline ? now - Date.parse(baseline.scraped_at) : undefined;
    const totals = Object.fromEntries(series.map((entry) => [seriesKey(entry), entry.value]));
    await store.transaction(async (queries) => {
      // A reading older than ten rounds is no baseline: the gap is left out rather than smeared over.
      if (baseline && since !== undefined && since > 0 && since <= options.intervalMs * 10) {
        const sampledAt = isoAt(now);
        const changes = seriesChanges(series, JSON.parse(baseline.totals) as Record<string, number>);
        await queries.insertRound({ target: target.name, sampled_at: sampledAt, window_ms: since }, changes.map((change) => ({ target: target.name, sampled_at: sampledAt, ...change })));
      }
      await queries.saveBaseline(target.name, isoAt(now), JSON.stringify(totals));
    });
  };

  /** One target's reading; whatever goes wrong with it (no answer, an exposition that does not parse, the store) skips that target alone, said once per outage. */
  const collectOne = async (target: ScrapeTarget, now: number): Promise<void> => {
    try {
      await readOne(target, now);
      if (failing.delete(target.name)) options.log.info({ target: target.name }, 'a target\'s metrics are read again');
    } catch (error) {
      if (!failing.has(target.name)) options.log.warn({ err: error, target: target.name }, 'reading a target\'s metrics failed: it is skipped until it answers a valid exposition');
      failing.add(target.name);
    }
  };

  return {
    source: 'self',
    maxWindowMs: retentionMs,
    collect: async (now) => {
      const targets = await options.targets();
      if (targets.length > options.maxTargets) options.log.warn({ targets: targets.length, cap: options.maxTargets }, 'more /metrics endpoints than METRICS_MAX_TARGETS: the last are not read');
      // A few at a time: a round with hundreds of modules neither opens hundreds of sockets nor holds hundreds of expositions at once.
      const queue = targets.slice(0, options.maxTargets);
      const reader = async (): Promise<void> => {
        for (let target = queue.shift(); target !== undefined; target = queue.shift()) await collectOne(target, now);
      };
      await Promise.all(Array.from({ length: Math.min(readersAtOnce, queue.length) }, reader));
      await store.deleteBefore(isoAt(now - retentionMs));
    },
    query: async (query, now) => {
      const from = isoAt(now - query.windowMs);
      const [rounds, deltas] = await Promise.all([store.coverageSince(from), store.changesSince(from, { ...(query.service === undefined ? {} : { service: query.service }), ...(query.route === undefined ? {} : { route: query.route }) })]);
      return sortGroups(answerFromChanges(query, deltas, coverageByTarget(rounds, query.windowMs)));
    },
    coveredMs: async (windowMs, now, service) => {
      const covered = coverageByTarget(await store.coverageSince(isoAt(now - windowMs)), windowMs);
      // A service is read as the target of its name, a module as `module:<id>`.
      return service === undefined ? Math.max(0, ...covered.values()) : (covered.get(service) ?? covered.get(`module:${service}`) ?? 0);
    },
  };
}
