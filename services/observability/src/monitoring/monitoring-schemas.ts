import { Type } from '@sinclair/typebox';

const literals = <T extends string>(values: readonly T[], options: { description?: string } = {}) => Type.Union(values.map((value) => Type.Literal(value)), options);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const TargetState = literals(['up', 'degraded', 'down', 'unknown', 'disabled'], { description: 'up: /health and /ready answer 2xx (a module: healthy); degraded: alive, not ready; down: /health fails (a module: unhealthy); unknown: not probed yet or the registry cannot say; disabled: a module taken out of routing' });
const OverallState = literals(['up', 'degraded', 'down', 'unknown']);
const Kind = literals(['service_down', 'error_rate', 'latency_p95', 'module_unhealthy']);
const Severity = literals(['critical', 'warning', 'info']);
const AlertStateSchema = literals(['firing', 'acknowledged', 'resolved']);

export const StatusBody = Type.Object({
  state: OverallState,
  services: Type.Array(Type.Object({ name: Type.String(), state: TargetState })),
  modules: Type.Array(Type.Object({ name: Type.String(), state: TargetState })),
});

const WindowFigures = Type.Object({
  checks: Type.Integer(),
  uptimePercent: Nullable(Type.Number()),
  p50Ms: Nullable(Type.Number()),
  p95Ms: Nullable(Type.Number()),
  p99Ms: Nullable(Type.Number()),
});
const ServiceState = {
  name: Type.String(),
  state: TargetState,
  since: Nullable(Type.String()),
  checkedAt: Nullable(Type.String()),
  latencyMs: Nullable(Type.Integer({ description: 'of /health in the latest check' })),
  detail: Nullable(Type.String()),
};
const ServiceHealth = Type.Object({
  ...ServiceState,
  windows: Type.Object({ '1h': WindowFigures, '24h': WindowFigures, '7d': WindowFigures }, { description: '24 h and 7 d count whole hours (the first hour from its top)' }),
});
export const ServiceHealthList = Type.Object({ items: Type.Array(ServiceHealth), nextCursor: Type.Null() });
export const ServiceHealthDetail = Type.Composite([
  ServiceHealth,
  Type.Object({ recent: Type.Array(Type.Object({ checkedAt: Type.String(), state: TargetState, latencyMs: Nullable(Type.Integer()), detail: Nullable(Type.String()) })) }),
]);
export const ServiceParams = Type.Object({ service: Type.String({ maxLength: 64 }) });

const Traffic = {
  requestsPerSecond: Type.Number(),
  errorRatePercent: Nullable(Type.Number({ description: 'share of 5xx answers; null without requests' })),
  p95Ms: Nullable(Type.Number()),
};

const AlertmanagerDetails = Type.Object(
  {
    fingerprint: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    annotations: Type.Record(Type.String(), Type.String()),
    startsAt: Type.String({ description: 'the occurrence\'s start, as Alertmanager says (normalised to ISO-8601 in ms)' }),
    endsAt: Nullable(Type.String({ description: 'null while Alertmanager does not know (Go\'s zero time)' })),
    generatorUrl: Type.String(),
    receiver: Type.String(),
    receivedAt: Type.String({ description: 'when Alertmanager last posted about it' }),
  },
  { description: 'what Alertmanager said of it in its latest post' },
);

export const AlertBody = Type.Object({
  id: Type.String(),
  source: literals(['rule', 'alertmanager'], { description: 'what opened it: one of the alert rules, or Alertmanager (POST /v1/alertmanager/webhook)' }),
  ruleId: Nullable(Type.String({ description: 'null for Alertmanager\'s' })),
  ruleName: Type.String({ description: 'the rule\'s name, or Alertmanager\'s alertname label' }),
  kind: Nullable(Kind),
  target: Type.String(),
  severity: Severity,
  state: AlertStateSchema,
  summary: Type.String(),
  firedAt: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  resolvedBy: Nullable(Type.String({ description: 'a subject; system when a rule\'s condition cleared; alertmanager when Alertmanager resolved it' })),
  alertmanager: Nullable(AlertmanagerDetails),
});

export const OverviewBody = Type.Object({
  state: OverallState,
  windowSeconds: Type.Integer(),
  traffic: Type.Object(Traffic, { description: 'all services together (a request through the gateway counts at the gateway and at the service behind it)' }),
  services: Type.Array(Type.Object({ ...ServiceState, ...Traffic })),
  modules: Type.Array(Type.Object({ name: Type.String(), state: TargetState, since: Nullable(Type.String()), detail: Nullable(Type.String()) })),
  openAlerts: Type.Object({ total: Type.Integer(), critical: Type.Integer(), warning: Type.Integer(), info: Type.Integer(), items: Type.Array(AlertBody, { description: 'the 20 newest' }) }),
});

const Channel = Type.Object(
  {
    type: Type.Union([Type.Literal('webhook'), Type.Literal('slack')], { description: 'webhook: the alert as JSON; slack: an incoming webhook\'s { text }' }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false },
);

export const AlertRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    kind: Kind,
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a service (service_down, error_rate, latency_p95) or a module id (module_unhealthy); * for all (the default)' })),
    checks: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, description: 'service_down: checks in a row that find the service not up (default 3)' })),
    thresholdPercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'error_rate: share of 5xx answers above which it fires' })),
    thresholdMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600_000, description: 'latency_p95: p95 latency above which it fires' })),
    forSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600, description: 'error_rate, latency_p95: the window the figure is taken over, up to an hour (default 300)' })),
    severity: Type.Optional(Severity),
    enabled: Type.Optional(Type.Boolean()),
    channels: Type.Optional(Type.Array(Channel, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

export const AlertRuleBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  target: Type.String(),
  checks: Nullable(Type.Integer()),
  thresholdPercent: Nullable(Type.Number()),
  thresholdMs: Nullable(Type.Number()),
  forSeconds: Nullable(Type.Integer()),
  severity: Severity,
  enabled: Type.Boolean(),
  channels: Type.Array(Type.Object({ type: Type.String(), url: Type.String({ description: 'only its origin without observability:admin' }) })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
});
export const AlertRuleList = Type.Object({ items: Type.Array(AlertRuleBody), nextCursor: Type.Null() });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const AlertQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 32, description: 'firing, acknowledged or resolved' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
});
export const AlertList = Type.Object({ items: Type.Array(AlertBody), nextCursor: Nullable(Type.String()) });

export const DeliveryList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      event: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
      channel: Type.Object({ type: Type.String(), url: Type.String({ description: 'its origin' }) }),
      state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
      attempts: Type.Integer(),
      nextAttemptAt: Nullable(Type.String()),
      lastAttemptAt: Nullable(Type.String()),
      lastStatus: Nullable(Type.Integer()),
      lastError: Nullable(Type.String()),
      createdAt: Type.String(),
      deliveredAt: Nullable(Type.String()),
    }),
  ),
  nextCursor: Type.Null(),
});
