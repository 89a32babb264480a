import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const billingIdentity: ServiceIdentity = {
  name: 'billing',
  version: packageJson.version,
  description: 'Plans, subscriptions, usage metering, entitlements and invoices.',
  tags: {
    plans: 'The plans on offer',
    usage: 'Usage reported by services and modules',
    entitlements: 'What an organisation may use, and how much it used',
    subscriptions: 'Which plan each organisation is on',
    invoices: 'Invoices: previews, drafts, finalising, payment',
    analytics: 'Usage and revenue over time',
    stripe: 'Events from Stripe',
  },
};
