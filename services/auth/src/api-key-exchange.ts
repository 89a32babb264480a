import { apiKeyInvalid } from './api-keys.js';
import type { AuthDomain } from './auth-domain.js';
import { mustVerifyFirst } from './email-verification.js';
import { currentGrant } from './sessions.js';
import type { IssuedAccessToken } from './token-issuer.js';

/**
 * A short-lived access token for an API key. The key acts with at most what its creator may do
 * in its organisation *now*: its permissions are cut to those the creator's current role grants
 * (a demoted creator's keys lose what the creator lost), and a creator who is no longer a member
 * leaves keys that answer like invalid ones. While e-mail verification is required, a key whose
 * creator is unverified (an account from before verification) exchanges to a token without
 * permissions, like the creator's own sessions.
 */
export async function exchangeApiKey(domain: AuthDomain, apiKey: string): Promise<IssuedAccessToken> {
  const key = await domain.apiKeys.authenticate(apiKey);
  const [creator, user] = await Promise.all([currentGrant(domain, key.createdBy, key.organisationId), domain.store.users.byId(key.createdBy)]);
  if (!creator || !user) throw apiKeyInvalid();
  const permissions = mustVerifyFirst(domain, user) ? [] : key.permissions.filter((permission) => creator.permissions.includes(permission));
  return domain.issuer.issue({ subject: `apikey:${key.id}`, organisation: key.organisationId, roles: [], permissions, clientId: `apikey:${key.id}` }, domain.config.API_KEY_TOKEN_TTL_SECONDS);
}
