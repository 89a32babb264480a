import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { isBucketBound } from './histogram-quantile.js';

/** One request series of a target at one reading: cumulative, as its /metrics shows it. */
export interface RequestSeriesValue {
  readonly service: string;
  readonly route: string;
  readonly status: string;
  /** Empty for `http_requests_total`; the bucket's bound for `http_request_duration_seconds_bucket`. */
  readonly le: string;
  readonly value: number;
}

// The monitor's own probes and scrapes are not the service's traffic.
export const monitorRoutes: readonly string[] = ['/health', '/ready', '/metrics'];

const numberOf = (text: string | undefined) => {
  const value = Number(text);
  return Number.isFinite(value) ? value : 0;
};

/** Whose series a target's /metrics holds: what its lines say about `service` is not believed. */
export interface SeriesOwner {
  /** Every series is counted under this `service`: the scraped service's name, or the module's id. */
  readonly service: string;
  /**
   * Observability's own /metrics also carries what modules pushed, each series labelled `module`
   * by the push (whatever the module sent): those, and only those, count under their module.
   */
  readonly carriesPushed?: boolean;
}

/** The key of a series in a target's baseline. */
export const seriesKey = (series: Pick<RequestSeriesValue, 'service' | 'route' | 'status' | 'le'>) => JSON.stringify([series.service, series.route, series.status, series.le]);

/**
 * `http_requests_total` and `http_request_duration_seconds_bucket` of one target, per series
 * (summed over methods), the monitor's own routes left out; `service` is the target's own
 * (`owner.service`), never the `service` or `module` label a target writes — a module labelling its
 * lines `service="gateway"` would otherwise be counted as the gateway — save the pushed series on
 * observability's /metrics, labelled with their module by the push. At most `maxSeries` series: what does not
 * fit is counted in `dropped`, so a target exposing a million series costs no more than the cap.
 */
export function requestSeriesFromExposition(text: string, owner: SeriesOwner, maxSeries: number): { series: RequestSeriesValue[]; dropped: number } {
  const byKey = new Map<string, RequestSeriesValue>();
  let dropped = 0;
  // parse-prometheus-text-format 1.1 folds every labelled series of a histogram family into one
  // series without labels, the last value per `le` winning (upstream issue #13, fix in the
  // unmerged PR #8). Declared untyped, a histogram's `_bucket` lines come back as samples of
  // their own, labels and `le` intact. No better-kept parser of the text format was found on npm.
  for (const family of parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))) {
    const bucket = family.name === 'http_request_duration_seconds_bucket';
    if (!bucket && family.name !== 'http_requests_total') continue;
    for (const sample of family.metrics) {
      const labels = sample.labels ?? {};
      const route = labels.route ?? '';
      if (monitorRoutes.includes(route)) continue;
      // A bucket whose bound is no number (`NaN`, `abc`) is no bucket: Prometheus refuses it too.
      if (bucket && (labels.le === undefined || !isBucketBound(labels.le))) continue;
      const service = owner.carriesPushed === true && labels.module !== undefined ? labels.module : owner.service;
      const entry = { service, route, status: labels.status ?? '', le: bucket ? (labels.le ?? '') : '' };
      const key = seriesKey(entry);
      const earlier = byKey.get(key);
      if (earlier === undefined && byKey.size >= maxSeries) {
        dropped += 1;
        continue;
      }
      byKey.set(key, { ...entry, value: (earlier?.value ?? 0) + numberOf(sample.value) });
    }
  }
  return { series: [...byKey.values()], dropped };
}

/**
 * What happened between two readings, per series. A counter that went down means the target
 * restarted (counters start again at 0), so all it shows now happened since: Prometheus's rule.
 * Unchanged series are left out, except a histogram's buckets when any of its buckets changed:
 * an empty bucket is the lower bound the quantile interpolates from.
 */
export function seriesChanges(now: readonly RequestSeriesValue[], before: Readonly<Record<string, number>>): RequestSeriesValue[] {
  const changed = now.map((series) => {
    const earlier = before[seriesKey(series)] ?? 0;
    return { ...series, value: series.value < earlier ? series.value : series.value - earlier };
  });
  const histogram = (series: RequestSeriesValue) => JSON.stringify([series.service, series.route, series.status]);
  const movedHistograms = new Set(changed.filter((series) => series.le !== '' && series.value > 0).map(histogram));
  return changed.filter((series) => series.value > 0 || (series.le !== '' && movedHistograms.has(histogram(series))));
}
