import { Type, type Static } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
export const Metric = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'api_calls, memory_items, memory_searches, or a module\'s own' });
const Cents = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

/** Graduated tiers: units up to `upTo` (null = the rest) cost `unitPriceCents` each. */
export const Tier = Type.Object({ upTo: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), unitPriceCents: Cents }, closed);

export const MetricPrice = Type.Object(
  {
    metric: Metric,
    included: Type.Integer({ minimum: 0, description: 'units included in the base price each period' }),
    limit: Type.Union([Type.Literal('hard'), Type.Literal('soft')], { description: 'hard: usage stops at the included units; soft: overage is billed' }),
    aggregation: Type.Optional(
      Type.Union([Type.Literal('sum'), Type.Literal('max')], {
        description: 'sum: a flow (calls, searches), the period\'s events added up; max: a level (stored items), the highest count reported in the period, or the last one before it. Default: max for memory_items, sum otherwise',
      }),
    ),
    overage: Type.Optional(
      Type.Union([Type.Object({ unitPriceCents: Cents }, closed), Type.Object({ tiers: Type.Array(Tier, { minItems: 1, maxItems: 20 }) }, closed)], {
        description: 'price of the units past the included ones (soft limits)',
      }),
    ),
  },
  closed,
);

export const PlanInput = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,47}$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    interval: Type.Union([Type.Literal('month'), Type.Literal('year')]),
    basePriceCents: Cents,
    currency: Type.String({ pattern: '^[a-z]{3}$', description: 'ISO 4217, lower case (usd, eur)' }),
    metrics: Type.Array(MetricPrice, { maxItems: 50 }),
    trialDays: Type.Integer({ minimum: 0, maximum: 365, default: 0 }),
  },
  closed,
);

export type Plan = Static<typeof PlanInput>;
export type MetricPriceRule = Static<typeof MetricPrice>;
