import type { TokenIssuer } from '../token-issuer.js';
import type { AuthenticatedClient } from './client-authentication.js';
import { invalidClient } from './oauth-error.js';
import { grantedScope } from './scope.js';
import type { TokenResponse } from './token-response.js';

const serviceTokenLifetimeSeconds = 300;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): a platform service obtains a short-lived token
 * for itself (`sub` = `svc:<name>`, the platform organisation) with its permissions, or the subset
 * its `scope` asks for.
 */
export async function clientCredentialsGrant(issuer: TokenIssuer, client: AuthenticatedClient | undefined, scope: string | undefined): Promise<TokenResponse> {
  if (!client) throw invalidClient('The client_credentials grant needs client authentication.');
  const permissions = grantedScope(scope, client.permissions);
  const issued = await issuer.issue(
    { subject: `svc:${client.clientId}`, organisation: 'platform', roles: ['service'], permissions, clientId: client.clientId },
    serviceTokenLifetimeSeconds,
  );
  return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: permissions.join(' ') };
}
