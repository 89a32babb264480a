import type { Plan } from './plan-schema.js';

/** Seeded at first start (and never overwritten): what a new installation sells. */
export const defaultPlans: readonly Plan[] = [
  {
    id: 'free',
    name: 'Free',
    interval: 'month',
    basePriceCents: 0,
    currency: 'usd',
    trialDays: 0,
    metrics: [
      { metric: 'api_calls', included: 10_000, limit: 'hard' },
      { metric: 'memory_items', included: 1_000, limit: 'hard' },
      { metric: 'memory_searches', included: 1_000, limit: 'hard' },
    ],
  },
  {
    id: 'pro',
    name: 'Pro',
    interval: 'month',
    basePriceCents: 4_900,
    currency: 'usd',
    trialDays: 14,
    metrics: [
      { metric: 'api_calls', included: 1_000_000, limit: 'soft', overage: { tiers: [{ upTo: 1_000_000, unitPriceCents: 1 }, { upTo: null, unitPriceCents: 0 }] } },
      { metric: 'memory_items', included: 100_000, limit: 'soft', overage: { unitPriceCents: 1 } },
      { metric: 'memory_searches', included: 100_000, limit: 'soft', overage: { unitPriceCents: 1 } },
    ],
  },
  {
    id: 'enterprise',
    name: 'Enterprise',
    interval: 'year',
    basePriceCents: 1_200_000,
    currency: 'usd',
    trialDays: 30,
    metrics: [
      { metric: 'api_calls', included: 100_000_000, limit: 'soft', overage: { unitPriceCents: 0 } },
      { metric: 'memory_items', included: 10_000_000, limit: 'soft', overage: { unitPriceCents: 0 } },
      { metric: 'memory_searches', included: 10_000_000, limit: 'soft', overage: { unitPriceCents: 0 } },
    ],
  },
];
