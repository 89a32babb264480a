import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties } from '@lift/kit';

export const registryConfigSchema = Type.Object({
  ...baseConfigProperties(8005),
  ...databaseConfigProperties(),
});

export type RegistryConfig = Static<typeof registryConfigSchema>;
