import type { HttpClient, Clock } from '@lift/kit';
import type { Logger } from 'pino';
import type { MetricSampleRow, MonitoringStore } from '../store/monitoring-store.js';
import { isoAt } from './monitoring-domain.js';
import { histogramQuantile, mergeBuckets, totalsFromExposition, totalsSince, type ServiceTotals } from './service-totals.js';
import type { ServiceMetricsSource, ServiceTraffic } from './service-metrics-source.js';

export interface ScrapedServiceMetricsOptions {
  readonly http: HttpClient;
  readonly store: MonitoringStore;
  readonly log: Logger;
  readonly clock: Clock;
  readonly urls: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

const maxExpositionBytes = 8 * 1024 * 1024;

/**
 * Reads every service's /metrics each round and stores what changed since the previous reading
 * (requests, 5xx, latency buckets), so any replica answers the overview from the same rows. A
 * reading older than ten rounds is no baseline: the gap is left out rather than smeared over.
 */
export function scrapedServiceMetrics(options: ScrapedServiceMetricsOptions): ServiceMetricsSource {
  const { store } = options;
  const collectOne = async (service: string, url: string, now: number): Promise<void> => {
    let totals: ServiceTotals;
    try {
      const answer = await options.http.call(`${url}/metrics`, { timeoutMs: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs), maxResponseBytes: maxExpositionBytes, headers: { accept: 'text/plain' } });
      const text = await answer.text();
      if (answer.status !== 200) return;
      totals = totalsFromExposition(text);
    } catch (error) {
      options.log.debug({ err: error, target: service }, 'reading a service\'s metrics failed');
      return;
    }
    const baseline = await store.health.baseline(service);
    const since = baseline ? now - Date.parse(baseline.scraped_at) : undefined;
    await store.transaction(async (queries) => {
      if (baseline && since !== undefined && since > 0 && since <= options.intervalMs * 10) {
        const delta = totalsSince(totals, JSON.parse(baseline.totals) as ServiceTotals);
        await queries.health.insertSample({ service, sampled_at: isoAt(now), window_ms: since, requests: delta.requests, errors: delta.errors, buckets: JSON.stringify(delta.buckets) });
      }
      await queries.health.saveBaseline(service, isoAt(now), JSON.stringify(totals));
    });
  };

  return {
    collect: async (now) => {
      await Promise.all(Object.entries(options.urls).map(([service, url]) => collectOne(service, url, now)));
    },
    traffic: async (windowMs, now) => {
      const samples = await store.health.samplesSince(isoAt(now - windowMs));
      const byService = new Map<string, MetricSampleRow[]>();
      for (const sample of samples) byService.set(sample.service, [...(byService.get(sample.service) ?? []), sample]);
      const services = Object.keys(options.urls).map((service) => trafficOf(service, byService.get(service) ?? [], windowMs));
      const platform = trafficOf('*', samples, windowMs, Math.max(0, ...services.map((entry) => entry.coveredMs)));
      return { services, platform };
    },
  };
}

/** Requests, 5xx and p95 of some readings; `coveredMs` defaults to the time they span (one service's readings follow each other). */
function trafficOf(service: string, rows: readonly MetricSampleRow[], windowMs: number, covered?: number): ServiceTraffic {
  const requests = rows.reduce((sum, row) => sum + row.requests, 0);
  const errors = rows.reduce((sum, row) => sum + row.errors, 0);
  const coveredMs = covered ?? Math.min(windowMs, rows.reduce((sum, row) => sum + row.window_ms, 0));
  const p95Seconds = histogramQuantile(0.95, mergeBuckets(rows.map((row) => JSON.parse(row.buckets) as [string, number][])));
  return {
    service,
    requests,
    errors,
    requestsPerSecond: coveredMs === 0 ? 0 : round(requests / (coveredMs / 1000), 3),
    errorRatio: requests === 0 ? null : round(errors / requests, 4),
    p95Ms: p95Seconds === undefined ? null : round(p95Seconds * 1000, 1),
    coveredMs,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
