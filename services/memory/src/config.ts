import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties } from '@lift/kit';

export const memoryConfigSchema = Type.Object({
  ...baseConfigProperties(8003),
  ...databaseConfigProperties(),
});

export type MemoryConfig = Static<typeof memoryConfigSchema>;
