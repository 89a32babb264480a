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

  const collectOne = async (target: ScrapeTarget, now: number): Promise<void> => {
    let text: string;
    try {
      const answer = await options.http.call(target.metricsUrl, { timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: maxExpositionBytes, headers: { accept: 'text/plain' } });
      text = await answer.text();
      if (answer.status !== 200) return;
    } catch (error) {
      options.log.debug({ err: error, target: target.name }, 'reading a target\'s metrics failed');
      return;
    }
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

  return {
    source: 'self',
    maxWindowMs: retentionMs,
    collect: async (now) => {
      const targets = await options.targets();
      if (targets.length > options.maxTargets) options.log.warn({ targets: targets.length, cap: options.maxTargets }, 'more /metrics endpoints than METRICS_MAX_TARGETS: the last are not read');
      await Promise.all(targets.slice(0, options.maxTargets).map((target) => collectOne(target, now)));
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
