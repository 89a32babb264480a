import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { UrlSource } from '../http/url-source.js';
import { jwksMaxAgeSeconds, unknownKeyRefetchCooldownMs } from './key-publication.js';

/** The public keys tokens may be signed with, by `kid`. */
export interface KeySource {
  /**
   * The key, if it is trusted now. A source that reads its keys from elsewhere reads them again
   * (in the background) once they are older than its maximum age, so a removed key stops being
   * trusted within that age.
   */
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

export interface RemoteKeySourceOptions {
  /** The JWKS endpoint; a function when it is chosen at each read (one of several instances of auth). */
  readonly url: UrlSource;
  readonly clock: Clock;
  /** Keys older than this are read again (default: the JWKS's own max-age). */
  readonly maxAgeMs?: number;
  /** Least time between two reads caused by unknown kids. */
  readonly cooldownMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * Keys from a JWKS endpoint (auth's `/.well-known/jwks.json`): read on first use, again in the
 * background whenever they are older than `maxAgeMs` (a key the signer removed stops being
 * trusted), and at once — within the cooldown — when a token names a kid not seen yet. A failed
 * read keeps the last known keys: an auth outage must not reject every token.
 */
export function remoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const maxAgeMs = options.maxAgeMs ?? jwksMaxAgeSeconds * 1000;
  const cooldownMs = options.cooldownMs ?? unknownKeyRefetchCooldownMs;
  const fetchImpl = options.fetch ?? fetch;
  let keys = new Map<string, KeyObject>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const load = (): Promise<void> => {
    lastAttempt = options.clock.now();
    inFlight ??= (async () => {
      const response = await fetchImpl(typeof options.url === 'string' ? options.url : options.url(), { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
      keys = keysOf((await response.json()) as JsonWebKeySet);
      loadedAt = options.clock.now();
    })().finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    keyFor: (kid) => {
      const now = options.clock.now();
      // Stale: read again in the background, retrying a failed read no more often than the cooldown.
      if (now - loadedAt >= maxAgeMs && now - lastAttempt >= Math.min(cooldownMs, maxAgeMs)) load().catch(() => undefined);
      return keys.get(kid);
    },
    refreshFor: async (kid) => {
      if (keys.has(kid)) return true;
      if (options.clock.now() - lastAttempt < cooldownMs) {
        if (inFlight) await inFlight.catch(() => undefined);
        return keys.has(kid);
      }
      await load().catch(() => undefined);
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
