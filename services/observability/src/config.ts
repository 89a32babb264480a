import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties, tokenVerificationConfigProperties } from '@lift/kit';
import { logConfigProperties } from './logs/log-config.js';
import { metricsConfigProperties } from './metrics/metrics-config.js';
import { monitoringConfigProperties } from './monitoring/monitoring-config.js';

export const observabilityConfigSchema = Type.Object({
  ...baseConfigProperties(8004),
  ...databaseConfigProperties(),
  ...tokenVerificationConfigProperties(),
  ...logConfigProperties(),
  ...monitoringConfigProperties(),
  ...metricsConfigProperties(),
});

export type ObservabilityConfig = Static<typeof observabilityConfigSchema>;
