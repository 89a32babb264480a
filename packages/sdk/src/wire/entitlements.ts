import { Type, type Static } from '@sinclair/typebox';

// An organisation's entitlements this period (`GET /billing/v1/entitlements/{organisationId}`),
// declared once: billing answers with it, the gateway enforces hard quotas from it.

export const entitlementsSchema = Type.Object({
  organisationId: Type.String(),
  planId: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  metrics: Type.Array(
    Type.Object({
      metric: Type.String(),
      used: Type.Integer(),
      included: Type.Integer(),
      remaining: Type.Integer(),
      limit: Type.Union([Type.Literal('hard'), Type.Literal('soft')]),
      hardLimitReached: Type.Boolean(),
    }),
  ),
});

export type Entitlements = Static<typeof entitlementsSchema>;
