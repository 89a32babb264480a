import type { MetricsGroup, MetricsQueryLayer, QueryMetric } from '../metrics/metrics-query.js';
import type { ServiceMetricsSource, ServiceTraffic } from './service-metrics-source.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The overview's and the alert rules' figures, read through the metrics query layer — the same
 * numbers /v1/metrics/query gives, from observability's own scrapes or from Prometheus.
 */
export function queryLayerTraffic(layer: MetricsQueryLayer, services: readonly string[]): ServiceMetricsSource {
  return {
    collect: (now) => layer.collect(now),
    traffic: async (windowMs, now) => {
      const ask = (metric: QueryMetric, grouped: boolean) => layer.query({ metric, windowMs, groupBy: grouped ? ['service'] : [] }, now);
      const [rates, ratios, p95s, [rate], [ratio], [p95], covered, platformCovered] = await Promise.all([
        ask('rate', true),
        ask('error_ratio', true),
        ask('p95', true),
        ask('rate', false),
        ask('error_ratio', false),
        ask('p95', false),
        Promise.all(services.map((service) => layer.coveredMs(windowMs, now, service))),
        layer.coveredMs(windowMs, now),
      ]);
      const of = (groups: readonly MetricsGroup[], service: string) => groups.find((group) => group.labels.service === service);
      const traffic = (service: string, figures: { rate?: MetricsGroup; ratio?: MetricsGroup; p95?: MetricsGroup }, coveredMs: number): ServiceTraffic => {
        const requestsPerSecond = figures.rate?.value ?? 0;
        const requests = Math.round((requestsPerSecond * coveredMs) / 1000);
        const errorRatio = requests === 0 ? null : (figures.ratio?.value ?? 0);
        return {
          service,
          requests,
          errors: Math.round((errorRatio ?? 0) * requests),
          requestsPerSecond: round(requestsPerSecond, 3),
          errorRatio: errorRatio === null ? null : round(errorRatio, 4),
          p95Ms: figures.p95?.value === null || figures.p95?.value === undefined ? null : round(figures.p95.value * 1000, 1),
          coveredMs,
        };
      };
      return {
        services: services.map((service, index) => traffic(service, { rate: of(rates, service), ratio: of(ratios, service), p95: of(p95s, service) }, covered[index] ?? 0)),
        platform: traffic('*', { rate, ratio, p95 }, platformCovered),
      };
    },
  };
}
