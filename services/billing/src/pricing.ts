import type { MetricPriceRule } from './plan-schema.js';

export interface OverageCharge {
  readonly metric: string;
  readonly quantity: number;
  readonly amountCents: number;
  /** Per tier (graduated) or one line (per unit): units and unit price. */
  readonly lines: readonly { readonly quantity: number; readonly unitPriceCents: number; readonly amountCents: number }[];
}

/** What the units past the included ones cost: exact integer cents, graduated tiers applied in order. */
export function overageCharge(rule: MetricPriceRule, used: number): OverageCharge {
  const quantity = Math.max(0, used - rule.included);
  const lines: { quantity: number; unitPriceCents: number; amountCents: number }[] = [];
  if (quantity > 0 && rule.limit === 'soft' && rule.overage) {
    if ('unitPriceCents' in rule.overage) {
      lines.push({ quantity, unitPriceCents: rule.overage.unitPriceCents, amountCents: quantity * rule.overage.unitPriceCents });
    } else {
      let remaining = quantity;
      let previousBound = 0;
      for (const tier of rule.overage.tiers) {
        if (remaining <= 0) break;
        const capacity = tier.upTo === null ? remaining : Math.max(0, tier.upTo - previousBound);
        const inTier = Math.min(remaining, capacity);
        if (inTier > 0) lines.push({ quantity: inTier, unitPriceCents: tier.unitPriceCents, amountCents: inTier * tier.unitPriceCents });
        remaining -= inTier;
        if (tier.upTo !== null) previousBound = tier.upTo;
      }
    }
  }
  return { metric: rule.metric, quantity, amountCents: lines.reduce((sum, line) => sum + line.amountCents, 0), lines };
}
