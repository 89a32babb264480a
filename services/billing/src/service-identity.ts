import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const billingIdentity: ServiceIdentity = {
  name: 'billing',
  version: packageJson.version,
  description: 'Plans, subscriptions, usage metering, entitlements and invoices.',
};
