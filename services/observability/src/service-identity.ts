import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const observabilityIdentity: ServiceIdentity = {
  name: 'observability',
  version: packageJson.version,
  description: 'Health history, logs, metrics and alerts for every service and module.',
};
