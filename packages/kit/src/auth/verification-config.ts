import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import type { Clock } from '../clock.js';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './access-token-verifier.js';
import { hs256SecretFrom } from './hs256-secret.js';
import { remoteKeySource } from './key-source.js';
import { tokenIssuerConfigProperties, tokenIssuerOf } from './token-issuer-config.js';

/** What a service needs to verify the platform's access tokens itself. */
export function tokenVerificationConfigProperties() {
  return {
    AUTH_SERVICE_URL: Type.String({ pattern: '^https?://[^,\\s]+$', default: 'http://127.0.0.1:8001', description: 'where the JWKS is fetched from' }),
    JWT_ALGORITHM: Type.Union([Type.Literal('EdDSA'), Type.Literal('HS256')], { default: 'EdDSA' }),
    ...tokenIssuerConfigProperties(),
  } satisfies TProperties;
}

export type TokenVerificationConfig = Static<TObject<ReturnType<typeof tokenVerificationConfigProperties>>> & { readonly JWT_SECRET?: string | undefined };

/**
 * The verifier a service uses for incoming tokens: auth's JWKS (EdDSA) or the shared secret
 * (HS256). Throws ConfigError at start when HS256 has no secret of at least 32 bytes.
 * `authOrigin`, when given, says where auth is at each read of the JWKS instead of
 * `AUTH_SERVICE_URL` (the gateway's choice among several instances of auth).
 */
export function serviceTokenVerifier(config: TokenVerificationConfig, clock: Clock, authOrigin?: () => string): AccessTokenVerifier {
  const jwksUrl = (base: string) => `${base.replace(/\/$/, '')}/.well-known/jwks.json`;
  const keys =
    config.JWT_ALGORITHM === 'HS256'
      ? { algorithm: 'HS256' as const, secret: hs256SecretFrom(config.JWT_SECRET) }
      : { algorithm: 'EdDSA' as const, keys: remoteKeySource({ url: authOrigin ? () => jwksUrl(authOrigin()) : jwksUrl(config.AUTH_SERVICE_URL), clock }) };
  return createAccessTokenVerifier({ keys, issuer: tokenIssuerOf(config), audience: config.JWT_AUDIENCE, clock });
}
