import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';

export const billingConfigSchema = Type.Object({
  ...baseConfigProperties(8002),
  ...databaseConfigProperties(),
  ...tokenVerificationConfigProperties(),
  USAGE_FUTURE_SKEW_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 300, description: 'how far in the future a usage timestamp may be (clock skew)' }),
  STRIPE_API_KEY: Type.Optional(Type.String({ minLength: 1, description: 'unset = billing works without Stripe' })),
  STRIPE_API_BASE: Type.Optional(Type.String({ pattern: '^https?://', description: 'another Stripe API address (stripe-mock, tests); default Stripe\'s' })),
  STRIPE_WEBHOOK_SECRET: Type.Optional(Type.String({ pattern: '^whsec_', description: 'signs POST /v1/webhooks/stripe' })),
  USAGE_BATCH_MAX: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000, description: 'most events in one POST /v1/usage/batch' }),
});

export type BillingConfig = Static<typeof billingConfigSchema>;
