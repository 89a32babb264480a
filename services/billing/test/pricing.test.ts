import { describe, expect, it } from 'vitest';
import { overageCharge } from '../src/pricing.js';

describe('overage to the cent', () => {
  it('charges per unit past the included quantity on a soft limit', () => {
    expect(overageCharge({ metric: 'memory_items', included: 100, limit: 'soft', overage: { unitPriceCents: 3 } }, 130)).toEqual({
      metric: 'memory_items',
      quantity: 30,
      amountCents: 90,
      lines: [{ quantity: 30, unitPriceCents: 3, amountCents: 90 }],
    });
    expect(overageCharge({ metric: 'memory_items', included: 100, limit: 'soft', overage: { unitPriceCents: 3 } }, 99).amountCents).toBe(0);
  });

  it('fills graduated tiers in order', () => {
    const rule = { metric: 'api_calls', included: 1000, limit: 'soft' as const, overage: { tiers: [{ upTo: 500, unitPriceCents: 5 }, { upTo: 2000, unitPriceCents: 2 }, { upTo: null, unitPriceCents: 1 }] } };
    expect(overageCharge(rule, 1000 + 500 + 1500 + 7)).toEqual({
      metric: 'api_calls',
      quantity: 2007,
      amountCents: 500 * 5 + 1500 * 2 + 7 * 1,
      lines: [
        { quantity: 500, unitPriceCents: 5, amountCents: 2500 },
        { quantity: 1500, unitPriceCents: 2, amountCents: 3000 },
        { quantity: 7, unitPriceCents: 1, amountCents: 7 },
      ],
    });
  });

  it('never charges a hard limit', () => {
    expect(overageCharge({ metric: 'api_calls', included: 10, limit: 'hard' }, 50)).toMatchObject({ quantity: 40, amountCents: 0, lines: [] });
  });
});
