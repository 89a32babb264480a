import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const registryIdentity: ServiceIdentity = {
  name: 'registry',
  version: packageJson.version,
  description: 'Module manifests, versions, heartbeats, health checks and discovery.',
};
