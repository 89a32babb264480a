import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const authIdentity: ServiceIdentity = {
  name: 'auth',
  version: packageJson.version,
  description: 'Who is who on the platform: users, organisations, roles, tokens and API keys.',
  tags: {
    sessions: 'Accounts, log-in, token refresh and organisation switch',
    accounts: 'Proving an address, and a way back in when the password is forgotten',
    organisations: 'Organisations and their members',
    'api-keys': 'API keys of an organisation, and their exchange for access tokens',
    audit: 'Who did what to whom',
    tokens: 'Verifying access tokens: the public keys and token introspection',
    'signing-keys': 'The keys that sign access tokens: rotation and revocation',
    oauth: 'OAuth 2.0 token endpoint and authorization-server metadata',
  },
};
