import { entitlementsSchema } from '@lift/sdk';
import { Type } from '@sinclair/typebox';
import { Metric, PlanInput } from './plan-schema.js';

export const OrganisationParams = Type.Object({ organisationId: Type.String({ minLength: 1, maxLength: 64 }) });
export const PlanParams = Type.Object({ planId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,47}$' }) });
export const PlanBody = Type.Composite([PlanInput, Type.Object({ archived: Type.Boolean() })]);
export const PlanList = Type.Object({ items: Type.Array(PlanBody), nextCursor: Type.Null() });
export const PlanQuery = Type.Object({ includeArchived: Type.Boolean({ default: false }) });

export const UsageEvent = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$', description: 'idempotency key: the same id counts once, forever' }),
    org: Type.String({ minLength: 1, maxLength: 64 }),
    metric: Metric,
    quantity: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    timestamp: Type.String({ format: 'date-time' }),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]), { maxProperties: 20 })),
  },
  { additionalProperties: false },
);
export const UsageBatch = Type.Object({ events: Type.Array(UsageEvent, { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false });
export const IngestResult = Type.Object({ accepted: Type.Integer({ description: 'events stored now' }), duplicates: Type.Integer({ description: 'events whose id was already counted' }) });

export const SubscriptionBody = Type.Object({
  organisationId: Type.String(),
  planId: Type.String(),
  status: Type.Union([Type.Literal('trialing'), Type.Literal('active')]),
  currentPeriod: Type.Object({ start: Type.String(), end: Type.String() }),
  trialEndsAt: Type.Union([Type.String(), Type.Null()]),
  cancelAtPeriodEnd: Type.Boolean(),
  pendingPlanId: Type.Union([Type.String(), Type.Null()]),
});
export const SubscriptionChange = Type.Object(
  {
    planId: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{1,47}$' })),
    effective: Type.Optional(Type.Union([Type.Literal('now'), Type.Literal('period_end')])),
    cancelAtPeriodEnd: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** What the gateway enforces quotas from, as the SDK declares it for both. */
export const EntitlementsBody = entitlementsSchema;

export const UsageSummaryQuery = Type.Object({
  metric: Metric,
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  aggregation: Type.Union([Type.Literal('sum'), Type.Literal('count'), Type.Literal('max'), Type.Literal('unique')], { default: 'sum' }),
  property: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
});
export const UsageSummaryBody = Type.Object({ organisationId: Type.String(), metric: Type.String(), aggregation: Type.String(), from: Type.String(), to: Type.String(), value: Type.Number() });

export const InvoicePreviewBody = Type.Object({
  organisationId: Type.String(),
  planId: Type.String(),
  currency: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  status: Type.Literal('preview'),
  lines: Type.Array(Type.Object({ description: Type.String(), metric: Type.Union([Type.String(), Type.Null()]), quantity: Type.Integer(), unitPriceCents: Type.Integer(), amountCents: Type.Integer() })),
  subtotalCents: Type.Integer(),
  totalCents: Type.Integer(),
});
