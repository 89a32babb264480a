import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties } from '@lift/kit';

export const observabilityConfigSchema = Type.Object({
  ...baseConfigProperties(8004),
  ...databaseConfigProperties(),
});

export type ObservabilityConfig = Static<typeof observabilityConfigSchema>;
