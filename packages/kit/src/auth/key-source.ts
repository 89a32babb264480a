import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';

/** The public keys tokens may be signed with, by `kid`. */
export interface KeySource {
  keyFor(kid: string): KeyObject | undefined;
  /**
   * Called when a token names an unknown `kid` (the signer rotated): fetch the keys again, at most
   * once per cooldown. Resolves whether the kid is known afterwards.
   */
  refreshFor(kid: string): Promise<boolean>;
}

export interface JsonWebKeySet {
  readonly keys: readonly (Record<string, unknown> & { kid?: string; kty?: string; use?: string })[];
}

/** Keys from a JWKS endpoint (auth's `/.well-known/jwks.json`), cached, refetched on rotation. */
export function remoteKeySource(options: { url: string; clock: Clock; cooldownMs?: number; fetch?: typeof fetch }): KeySource {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const fetchImpl = options.fetch ?? fetch;
  let keys = new Map<string, KeyObject>();
  let lastFetch = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const fetchKeys = async (): Promise<void> => {
    lastFetch = options.clock.now();
    const response = await fetchImpl(options.url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
    keys = keysOf((await response.json()) as JsonWebKeySet);
  };

  return {
    keyFor: (kid) => keys.get(kid),
    refreshFor: async (kid) => {
      if (keys.has(kid)) return true;
      if (options.clock.now() - lastFetch < cooldownMs) {
        if (inFlight) await inFlight.catch(() => undefined);
        return keys.has(kid);
      }
      inFlight ??= fetchKeys().finally(() => (inFlight = undefined));
      await inFlight.catch(() => undefined);
      return keys.has(kid);
    },
  };
}

/** A fixed set of keys (the signer's own, or a test's). */
export function staticKeySource(jwks: JsonWebKeySet): KeySource {
  const keys = keysOf(jwks);
  return { keyFor: (kid) => keys.get(kid), refreshFor: async (kid) => keys.has(kid) };
}

/** Only Ed25519 signing keys are taken: anything else in a key set is never trusted. */
export function keysOf(jwks: JsonWebKeySet): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys ?? []) {
    if (typeof jwk.kid !== 'string' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string }, format: 'jwk' }));
    } catch {
      // A malformed key is skipped; tokens naming it fail as signed by an unknown key.
    }
  }
  return keys;
}
