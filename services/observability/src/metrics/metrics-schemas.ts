import { Type } from '@sinclair/typebox';

export const MetricsQueryParams = Type.Object({
  metric: Type.String({ maxLength: 32, description: 'rate (requests/s), error_ratio (5xx / all, 0..1), p50, p95 or p99 (latency in seconds)' }),
  window: Type.Optional(Type.String({ maxLength: 16, description: 'how far back: a whole number of s, m, h or d (5m by default); at most METRICS_RETENTION_HOURS without Prometheus' })),
  groupBy: Type.Optional(Type.String({ maxLength: 64, description: 'comma-separated: service, route, status; none = one group for the whole platform' })),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'only this service\'s (or module\'s) requests' })),
  route: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'only this route (the route pattern, as /metrics labels it)' })),
});

const Group = Type.Object({
  labels: Type.Object({ service: Type.Optional(Type.String()), route: Type.Optional(Type.String()), status: Type.Optional(Type.String()) }, { description: 'the group\'s values of the groupBy labels' }),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'null: no requests to tell a ratio or a quantile from' }),
});

export const MetricsQueryAnswer = Type.Object({
  metric: Type.String(),
  unit: Type.Union([Type.Literal('requests/s'), Type.Literal('ratio'), Type.Literal('seconds')]),
  windowSeconds: Type.Integer(),
  groupBy: Type.Array(Type.String()),
  source: Type.Union([Type.Literal('self'), Type.Literal('prometheus')], { description: 'self: observability\'s own scrapes; prometheus: PROMETHEUS_URL' }),
  items: Type.Array(Group),
});

const labelValues = Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 1024 }), { description: 'label name → value; module and service are set to the pushing module\'s id, whatever is sent' });

export const PushedReadingBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256, description: 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)' }),
    type: Type.Union([Type.Literal('counter'), Type.Literal('gauge')]),
    value: Type.Number({ description: 'a counter: what to add (≥ 0); a gauge: its value now' }),
    labels: Type.Optional(labelValues),
    timestamp: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601; within 5 minutes of now' })),
  },
  { additionalProperties: false },
);

export const PushedBatchBody = Type.Object({ items: Type.Array(PushedReadingBody, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });

export const PushAnswer = Type.Object({ accepted: Type.Integer(), module: Type.String({ description: 'the module label the readings were given' }) });
