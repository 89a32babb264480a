import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const authIdentity: ServiceIdentity = {
  name: 'auth',
  version: packageJson.version,
  description: 'Who is who on the platform: users, organisations, roles, tokens and API keys.',
};
