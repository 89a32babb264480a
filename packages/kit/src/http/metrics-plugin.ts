import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics.js';
import { isEventStream } from './event-stream.js';
import { matchedRoute } from './matched-route.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This service's Prometheus registry; services add their own metrics to it. */
    metrics: Registry;
    /**
     * Counts an answer that never finished (the client went away, or it was cut off) under the
     * status the client was sent, or 499: Fastify runs no onResponse hook for it. Not timed.
     */
    countIncompleteAnswer(request: FastifyRequest, status: number): void;
  }
  interface FastifyContextConfig {
    /**
     * The route holds its answer open on purpose (a long poll, a server-sent event stream): its
     * requests are counted in `http_requests_total` but their duration stays out of
     * `http_request_duration_seconds`, where a 30 s wait would read as a slow service.
     */
    longLived?: boolean;
  }
}

export interface MetricsPluginOptions {
  readonly service: string;
}

/**
 * `http_requests_total` and `http_request_duration_seconds` labelled service, method, route and
 * status, plus process metrics, at GET /metrics. Unmatched paths share the route label
 * `unmatched` so a scan of random URLs cannot explode the series count (a service with a catch-all
 * route, like the gateway's `/*`, labels them with that route). A long-lived answer — a route with
 * `config: { longLived: true }`, or any answer of type text/event-stream (a stream a gateway
 * forwards) — is counted but not timed.
 */
export const metricsPlugin = fastifyPlugin<MetricsPluginOptions>(
  async (app: FastifyInstance, options: MetricsPluginOptions) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: registry });

    const labelNames = ['method', 'route', 'status'] as const;
    const requests = new FastCounter('http_requests_total', 'HTTP requests answered', labelNames, registry);
    const duration = new FastHistogram('http_request_duration_seconds', 'Time to answer an HTTP request', labelNames, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registry);

    app.decorate('metrics', registry);
    // Each method, route and status gets its series once; counting a request is then two adds.
    // The duration series is made at the first timed answer, so a long-lived route has none.
    const series = new Map<string, { requests: { inc(): void }; duration?: { observe(value: number): void } }>();
    const seriesOf = (request: FastifyRequest, route: string, status: number) => {
      const key = `${request.method} ${route} ${status}`;
      let labelled = series.get(key);
      if (labelled === undefined) {
        labelled = { requests: requests.child(request.method, route, String(status)) };
        series.set(key, labelled);
      }
      return labelled;
    };
    app.addHook('onResponse', (request, reply, done) => {
      const matched = matchedRoute(request);
      const route = matched.url ?? 'unmatched';
      const labelled = seriesOf(request, route, reply.statusCode);
      labelled.requests.inc();
      if (!isLongLived(matched, reply.getHeader('content-type'))) {
        labelled.duration ??= duration.child(request.method, route, String(reply.statusCode));
        labelled.duration.observe(reply.elapsedTime / 1000);
      }
      done();
    });
    app.decorate('countIncompleteAnswer', (request: FastifyRequest, status: number) => {
      seriesOf(request, matchedRoute(request).url ?? 'unmatched', status).requests.inc();
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'lift-metrics' },
);

function isLongLived(config: { longLived?: boolean } | undefined, contentType: unknown): boolean {
  return config?.longLived === true || isEventStream(contentType);
}
