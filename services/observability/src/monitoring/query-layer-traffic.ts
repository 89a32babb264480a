import type { Logger } from 'pino';
import type { MetricsGroup, MetricsQueryLayer, QueryMetric } from '../metrics/metrics-query.js';
import type { ServiceMetricsSource, ServiceTraffic } from './service-metrics-source.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const empty = (service: string): ServiceTraffic => ({ service, requests: 0, errors: 0, requestsPerSecond: 0, errorRatio: null, p95Ms: null, coveredMs: 0 });

/** One service's (or the platform's) figures from the layer's groups over `coveredMs`. */
function trafficOf(service: string, figures: { rate?: MetricsGroup; ratio?: MetricsGroup; p95?: MetricsGroup }, coveredMs: number): ServiceTraffic {
  const requestsPerSecond = figures.rate?.value ?? 0;
  const requests = Math.round((requestsPerSecond * coveredMs) / 1000);
  const errorRatio = requests === 0 ? null : (figures.ratio?.value ?? 0);
  const p95 = figures.p95?.value ?? null;
  return {
    service,
    requests,
    errors: Math.round((errorRatio ?? 0) * requests),
    requestsPerSecond: round(requestsPerSecond, 3),
    errorRatio: errorRatio === null ? null : round(errorRatio, 4),
    p95Ms: p95 === null ? null : round(p95 * 1000, 1),
    coveredMs,
  };
}

async function trafficFrom(layer: MetricsQueryLayer, services: readonly string[], windowMs: number, now: number): ReturnType<ServiceMetricsSource['traffic']> {
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
  return {
    services: services.map((service, index) => trafficOf(service, { rate: of(rates, service), ratio: of(ratios, service), p95: of(p95s, service) }, covered[index] ?? 0)),
    platform: trafficOf('*', { rate, ratio, p95 }, platformCovered),
  };
}

/**
 * The overview's and the alert rules' figures, read through the metrics query layer — the same
 * numbers /v1/metrics/query gives, from observability's own scrapes or from Prometheus. When the
 * layer cannot answer (Prometheus down), the figures are empty with nothing covered: the overview
 * shows no traffic and the rules cannot tell, rather than the round failing.
 */
export function queryLayerTraffic(layer: MetricsQueryLayer, services: readonly string[], log: Logger): ServiceMetricsSource {
  let failing = false;
  return {
    collect: (now) => layer.collect(now),
    traffic: async (windowMs, now) => {
      try {
        const figures = await trafficFrom(layer, services, windowMs, now);
        if (failing) log.info('the metrics query layer answers again');
        failing = false;
        return figures;
      } catch (error) {
        // Said once per outage, not once per request or round.
        if (!failing) log.warn({ err: error }, 'the metrics query layer cannot answer: the overview shows no traffic and the traffic rules wait');
        failing = true;
        return { services: services.map(empty), platform: empty('*') };
      }
    },
  };
}
