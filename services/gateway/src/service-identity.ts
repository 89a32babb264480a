import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const gatewayIdentity: ServiceIdentity = {
  name: 'gateway',
  version: packageJson.version,
  description: 'The front door of Lift OS Core: routes /auth, /memory, /registry, /billing and /observability to their services.',
  tags: {
    health: 'Probes of the gateway, and the readiness of the whole platform behind it',
    events: 'Events other platform services deliver to the gateway',
  },
};
