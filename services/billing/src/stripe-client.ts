import type Stripe from 'stripe';
import type { BillingConfig } from './config.js';

/**
 * The official Stripe SDK, loaded only when STRIPE_API_KEY is set (it is large, and most
 * installations run without Stripe). STRIPE_API_BASE points it elsewhere (stripe-mock, tests).
 */
export async function stripeClient(config: Pick<BillingConfig, 'STRIPE_API_KEY' | 'STRIPE_API_BASE'>): Promise<Stripe | undefined> {
  if (!config.STRIPE_API_KEY) return undefined;
  const loaded = (await import('stripe')) as unknown as { default: typeof Stripe | { default: typeof Stripe } };
  const StripeClass = 'default' in loaded.default ? loaded.default.default : loaded.default;
  if (!config.STRIPE_API_BASE) return new StripeClass(config.STRIPE_API_KEY);
  const base = new URL(config.STRIPE_API_BASE);
  return new StripeClass(config.STRIPE_API_KEY, { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol.replace(':', '') as 'http' | 'https', maxNetworkRetries: 1 });
}
