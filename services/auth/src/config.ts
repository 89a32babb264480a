import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties } from '@lift/kit';

export const authConfigSchema = Type.Object({
  ...baseConfigProperties(8001),
  ...databaseConfigProperties(),
});

export type AuthConfig = Static<typeof authConfigSchema>;
