import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties } from '@lift/kit';

export const templateConfigSchema = Type.Object({
  ...baseConfigProperties(9100),
  LIFT_GATEWAY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8000', description: 'the platform, through its gateway' }),
  LIFT_API_KEY: Type.Optional(Type.String({ pattern: '^lift_sk_', description: 'a platform API key with registry:admin; unset = run without joining the platform' })),
  MODULE_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'where the gateway reaches this module (default: http://127.0.0.1:PORT)' })),
});

export type TemplateConfig = Static<typeof templateConfigSchema>;
