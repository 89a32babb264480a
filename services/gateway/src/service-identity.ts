import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const gatewayIdentity: ServiceIdentity = {
  name: 'gateway',
  version: packageJson.version,
  description: 'The front door of Lift OS Core: routes /auth, /memory, /registry, /billing and /observability to their services.',
};
