import { createAccessTokenVerifier, remoteKeySource, systemClock, type AccessTokenVerifier } from '@lift/kit';

/**
 * How a module verifies the tokens the gateway forwards to it: against the platform's public keys
 * (the auth service's JWKS, through the gateway), with the same checks every core service makes.
 */
export function moduleTokenVerifier(options: { gatewayUrl: string; issuer?: string; audience?: string }): AccessTokenVerifier {
  return createAccessTokenVerifier({
    keys: { algorithm: 'EdDSA', keys: remoteKeySource({ url: `${options.gatewayUrl.replace(/\/$/, '')}/auth/.well-known/jwks.json`, clock: systemClock }) },
    issuer: options.issuer ?? 'lift-os-core',
    audience: options.audience ?? 'lift-os',
    clock: systemClock,
  });
}
