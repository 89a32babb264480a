import { Type, type Static } from '@sinclair/typebox';
import { addressPolicyConfigProperties, baseConfigProperties, databaseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';

const serviceUrl = (port: number) => Type.String({ pattern: '^https?://[^,\\s]+$', default: `http://127.0.0.1:${port}` });

export const registryConfigSchema = Type.Object({
  ...baseConfigProperties(8005),
  ...databaseConfigProperties(),
  ...tokenVerificationConfigProperties(),
  ...addressPolicyConfigProperties(),
  HEALTH_CHECK_INTERVAL_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  HEALTH_CHECK_TIMEOUT_MS: Type.Integer({ minimum: 50, default: 2_000 }),
  HEALTH_UNHEALTHY_THRESHOLD: Type.Integer({ minimum: 1, default: 3, description: 'consecutive failures before a healthy module is unhealthy' }),
  HEALTH_HEALTHY_THRESHOLD: Type.Integer({ minimum: 1, default: 2, description: 'consecutive successes before an unhealthy module is healthy again' }),
  // The platform's own services, which no module URL may point at.
  GATEWAY_URL: serviceUrl(8000),
  BILLING_SERVICE_URL: serviceUrl(8002),
  MEMORY_SERVICE_URL: serviceUrl(8003),
  OBSERVABILITY_SERVICE_URL: serviceUrl(8004),
  REGISTRY_SERVICE_URL: serviceUrl(8005),
});

export type RegistryConfig = Static<typeof registryConfigSchema>;
