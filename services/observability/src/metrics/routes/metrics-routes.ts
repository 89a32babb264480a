import { ForbiddenError, type Clock, type ServiceApp } from '@lift/kit';
import { metricsErrorCodes } from '../metrics-errors.js';
import type { MetricsQueryLayer } from '../metrics-query.js';
import { metricsQueryOf } from '../metrics-query-params.js';
import { MetricsQueryAnswer, MetricsQueryParams, PushAnswer, PushedBatchBody, PushedReadingBody } from '../metrics-schemas.js';
import type { PushedMetrics } from '../pushed-metrics.js';
import { pushingModule } from '../pushing-module.js';

const security = [{ bearerAuth: [] }];
const units = { rate: 'requests/s', error_ratio: 'ratio', p50: 'seconds', p95: 'seconds', p99: 'seconds' } as const;

/** The metrics query and the push endpoints. */
export async function metricsRoutes(app: ServiceApp, deps: { layer: MetricsQueryLayer; pushed: PushedMetrics; clock: Clock }): Promise<void> {
  const { layer, pushed, clock } = deps;
  app.get(
    '/v1/metrics/query',
    {
      preHandler: app.requirePermission('observability:read'),
      schema: {
        operationId: 'queryMetrics',
        tags: ['metrics'],
        security,
        summary: 'Request rate, 5xx ratio or latency quantile of the platform\'s HTTP requests over a window, grouped by service, route or status',
        problems: { 400: 'A parameter that is none of its values (OBSERVABILITY_INVALID_METRICS_QUERY)', 503: 'Prometheus did not answer (OBSERVABILITY_PROMETHEUS_UNAVAILABLE)' },
        querystring: MetricsQueryParams,
        response: { 200: MetricsQueryAnswer },
      },
    },
    async (request) => {
      const query = metricsQueryOf(request.query, layer.maxWindowMs);
      const items = await layer.query(query, clock.now());
      return { metric: query.metric, unit: units[query.metric], windowSeconds: query.windowMs / 1000, groupBy: [...query.groupBy], source: layer.source, items };
    },
  );

  const pushOptions = <Body extends typeof PushedReadingBody | typeof PushedBatchBody>(operationId: string, summary: string, body: Body) => ({
    preHandler: app.requireIdentity,
    schema: {
      operationId,
      tags: ['metrics'],
      security,
      summary,
      problems: {
        400: 'A name, type, value, label or timestamp the Prometheus data model refuses (OBSERVABILITY_INVALID_METRIC)',
        403: 'Neither a module\'s token nor one with observability:metrics-push (OBSERVABILITY_METRICS_PUSH_FORBIDDEN)',
        503: 'The push would add series past METRICS_MAX_PUSHED_SERIES (OBSERVABILITY_PUSHED_SERIES_LIMIT)',
      },
      body,
      response: { 200: PushAnswer },
    },
  });
  const moduleOf = (identity: Parameters<typeof pushingModule>[0] | undefined) => {
    const module = identity === undefined ? undefined : pushingModule(identity);
    if (module === undefined) throw new ForbiddenError(metricsErrorCodes.pushForbidden, 'Pushing metrics needs a module\'s token (acting as module:<id>) or the permission observability:metrics-push.');
    return module;
  };
  app.post('/v1/metrics', pushOptions('pushMetric', 'Push one counter increment or gauge value, labelled with the pushing module', PushedReadingBody), async (request) => {
    const module = moduleOf(request.identity);
    return { accepted: pushed.push(module, [request.body], clock.now(), () => ''), module };
  });
  app.post('/v1/metrics/batch', pushOptions('pushMetrics', 'Push up to 1000 readings at once, all or none', PushedBatchBody), async (request) => {
    const module = moduleOf(request.identity);
    return { accepted: pushed.push(module, request.body.items, clock.now(), (index) => `items[${index}].`), module };
  });
}
