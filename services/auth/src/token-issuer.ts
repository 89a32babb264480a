import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '@lift/kit';
import type { SigningKeyRing } from './signing-keys.js';

export interface AccessTokenSubject {
  readonly subject: string;
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
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

/** Signs RFC 9068 access tokens with the platform's claims (`sub`, `org`, `roles`, `perms`, `jti`). */
export function createTokenIssuer(options: TokenIssuerOptions) {
  return {
    async issue(subject: AccessTokenSubject, lifetimeSeconds: number): Promise<IssuedAccessToken> {
      const now = Math.floor(options.clock.now() / 1000);
      const jwt = new SignJWT({ org: subject.organisation, roles: [...subject.roles], perms: [...subject.permissions] })
        .setSubject(subject.subject)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
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
