import { tokenExchangeGrantType } from './token-exchange-grant.js';

/**
 * RFC 8414 authorization-server metadata: what an OAuth client library reads to find the token
 * endpoint, the keys and what is supported. URLs are the public ones (through the gateway).
 */
export function authorizationServerMetadata(options: { issuer: string; publicUrl: string }) {
  const auth = `${options.publicUrl}/auth`;
  return {
    issuer: options.issuer,
    token_endpoint: `${auth}/v1/oauth/token`,
    jwks_uri: `${auth}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials', tokenExchangeGrantType],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // No authorization endpoint: people sign in with /v1/login, machines with the grants above.
    response_types_supported: [] as string[],
    service_documentation: `${options.publicUrl}/docs`,
  };
}
