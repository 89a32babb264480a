import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '@lift/kit';
import type { SigningKeyRing } from './signing-keys.js';

/** The `client_id` of sessions started with a password (the console, the CLI, the SDK's logins). */
export const firstPartyClientId = 'lift';

export interface AccessTokenSubject {
  readonly subject: string;
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  /** `client_id` (RFC 9068 requires it): the client that obtained the token. */
  readonly clientId: string;
  /** `aud`, when the token is not for the core services (a module's `module:<id>`). */
  readonly audience?: string;
  /** `email_verified` (OpenID Connect's claim): set on a person's session tokens. */
  readonly emailVerified?: boolean;
  /** `act.sub` (RFC 8693): who acts for the subject with this token (a module). */
  readonly actor?: string;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds until it expires. */
  readonly expiresIn: number;
}

export type TokenSigning = { readonly algorithm: 'EdDSA'; readonly keys: SigningKeyRing } | { readonly algorithm: 'HS256'; readonly secret: Uint8Array };

export interface TokenIssuerOptions {
  readonly signing: TokenSigning;
  readonly issuer: string;
  readonly audience: string;
  readonly clock: Clock;
}

/**
 * Signs RFC 9068 access tokens (`typ: at+jwt`, `iss`, `sub`, `aud`, `client_id`, `iat`, `exp`,
 * `jti`) with the platform's claims (`org`, `roles`, `perms`, `email_verified` for sessions, and `act` for
 * delegated tokens).
 */
export function createTokenIssuer(options: TokenIssuerOptions) {
  return {
    issuer: options.issuer,
    audience: options.audience,
    async issue(subject: AccessTokenSubject, lifetimeSeconds: number): Promise<IssuedAccessToken> {
      const now = Math.floor(options.clock.now() / 1000);
      const claims = {
        org: subject.organisation,
        roles: [...subject.roles],
        perms: [...subject.permissions],
        client_id: subject.clientId,
        ...(subject.emailVerified === undefined ? {} : { email_verified: subject.emailVerified }),
        ...(subject.actor === undefined ? {} : { act: { sub: subject.actor } }),
      };
      const jwt = new SignJWT(claims)
        .setSubject(subject.subject)
        .setIssuer(options.issuer)
        .setAudience(subject.audience ?? options.audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + lifetimeSeconds)
        .setJti(randomUUID());
      let accessToken: string;
      if (options.signing.algorithm === 'HS256') {
        accessToken = await jwt.setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(options.signing.secret);
      } else {
        const key = await options.signing.keys.current();
        accessToken = await jwt.setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid }).sign(key.privateKey);
      }
      return { accessToken, tokenType: 'Bearer', expiresIn: lifetimeSeconds };
    },
  };
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
