import { Type, type TProperties } from '@sinclair/typebox';

/** Where clients reach the platform when nothing says otherwise: the gateway under `lift up`. */
export const defaultPublicUrl = 'http://localhost:8000';

/**
 * The token settings signer and verifiers must agree on. The issuer is a URL (RFC 8414, RFC 9068):
 * the auth service as clients reach it through the gateway, `PUBLIC_URL/auth`, where its
 * authorization-server metadata lives. `JWT_ISSUER` overrides it for installations that already
 * issued tokens under another name.
 */
export function tokenIssuerConfigProperties() {
  return {
    PUBLIC_URL: Type.String({
      pattern: '^https?://[^/?#]+(/[^?#]*)?$',
      default: defaultPublicUrl,
      description: 'the platform as clients reach it (the gateway): token issuer, OAuth metadata and links start here',
    }),
    JWT_ISSUER: Type.Optional(Type.String({ minLength: 1, description: 'overrides the token issuer (default PUBLIC_URL/auth)' })),
    JWT_AUDIENCE: Type.String({ minLength: 1, default: 'lift-os' }),
  } satisfies TProperties;
}

export interface TokenIssuerConfig {
  readonly PUBLIC_URL: string;
  readonly JWT_ISSUER?: string | undefined;
}

/** `PUBLIC_URL` without a trailing slash, so paths can be appended. */
export function publicBaseUrl(config: Pick<TokenIssuerConfig, 'PUBLIC_URL'>): string {
  return config.PUBLIC_URL.replace(/\/+$/, '');
}

/** The `iss` every signer writes and every verifier expects. */
export function tokenIssuerOf(config: TokenIssuerConfig): string {
  return config.JWT_ISSUER ?? `${publicBaseUrl(config)}/auth`;
}

/** The issuer of a platform with the default settings (tests, the SDK's examples). */
export const defaultTokenIssuer = `${defaultPublicUrl}/auth`;
