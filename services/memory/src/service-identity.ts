import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const memoryIdentity: ServiceIdentity = {
  name: 'memory',
  version: packageJson.version,
  description: 'Per-organisation memory: storage, hybrid search, relations and insights.',
};
