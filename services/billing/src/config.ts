import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties } from '@lift/kit';

export const billingConfigSchema = Type.Object({
  ...baseConfigProperties(8002),
  ...databaseConfigProperties(),
});

export type BillingConfig = Static<typeof billingConfigSchema>;
