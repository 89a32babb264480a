import { Type, type Static } from '@sinclair/typebox';

// An organisation's entitlements this period (`GET /billing/v1/entitlements/{organisationId}`),
// declared once: billing answers with it, the gateway enforces hard quotas from it.

export const entitlementMetricSchema = Type.Object({
  metric: Type.String(),
  used: Type.Integer(),
  included: Type.Integer(),
  remaining: Type.Integer(),
  limit: Type.Union([Type.Literal('hard'), Type.Literal('soft')]),
  hardLimitReached: Type.Boolean(),
});

export const entitlementsSchema = Type.Object({
  organisationId: Type.String(),
  planId: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  metrics: Type.Array(entitlementMetricSchema),
});

export type Entitlements = Static<typeof entitlementsSchema>;
/** One metric of a plan: how much of it is used this period, and whether the limit is hard. */
export type EntitlementMetric = Static<typeof entitlementMetricSchema>;
