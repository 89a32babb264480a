import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const registryIdentity: ServiceIdentity = {
  name: 'registry',
  version: packageJson.version,
  description: 'Module manifests, versions, heartbeats, health checks and discovery.',
  tags: {
    modules: 'Module manifests and versions',
    health: 'Probes of the registry itself, and the health of the modules it watches',
    discovery: 'The route table and Prometheus targets built from the modules',
  },
};
