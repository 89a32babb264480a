import { createHash } from 'node:crypto';
import { baseUrlOf, UnauthorizedError, type Clock, type HttpClient, type UrlSource } from '@lift/kit';

export interface ApiKeyExchangeOptions {
  readonly http: HttpClient;
  readonly authUrl: UrlSource;
  readonly clock: Clock;
  readonly maxEntries?: number;
  /** How long a key auth refused is refused here without asking again. */
  readonly refusalTtlMs?: number;
}

export interface ApiKeyExchange {
  /**
   * The access token for an API key: cached, or exchanged at auth. 401 for a key auth refuses, or
   * that is not even shaped like one. `beforeAskingAuth` runs (and may refuse) only when auth is
   * about to be asked: the edge counts those asks against the sign-in limit.
   */
  tokenFor(apiKey: string, beforeAskingAuth?: () => Promise<void>): Promise<string>;
  /** Drops the cached token of a revoked key, so its next use asks auth (which refuses it). */
  forget(apiKeyId: string): void;
}

// What auth issues: `lift_sk_` and 32 random bytes in base64url. Anything else is refused here.
const apiKeyShape = /^lift_sk_[A-Za-z0-9_-]{43}$/;

const refused = () => new UnauthorizedError('AUTH_API_KEY_INVALID', 'The API key is invalid, expired or revoked.', { headers: { 'www-authenticate': 'Bearer' } });

/** The `sub` of a token auth issued for a key (`apikey:<id>`), read without verifying: only to index the cache. */
function apiKeyIdOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub.startsWith('apikey:') ? claims.sub.slice('apikey:'.length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * X-API-Key at the edge: the key is exchanged at auth for a short-lived access token, cached
 * (by the key's hash, never the key itself) until 30 s before it expires, so downstream sees only
 * JWTs and auth sees one exchange per key per ~4.5 minutes. A revocation (an event from auth)
 * drops the key's token at once. Keys auth refused are refused here for a while without asking
 * again, strings not shaped like a key are refused without asking at all, and every ask counts
 * against the caller's sign-in limit: random keys cannot turn traffic into calls to auth.
 */
export function apiKeyExchange(options: ApiKeyExchangeOptions): ApiKeyExchange {
  const cache = new Map<string, { token: string; renewAt: number; apiKeyId: string | undefined }>();
  const cacheKeyOfId = new Map<string, string>();
  const refusedUntil = new Map<string, number>();
  const inFlight = new Map<string, Promise<string>>();
  const maxEntries = options.maxEntries ?? 10_000;
  const refusalTtlMs = options.refusalTtlMs ?? 30_000;

  const bounded = <V>(map: Map<string, V>): void => {
    if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
  };

  const exchange = async (apiKey: string, cacheKey: string): Promise<string> => {
    const answer = await options.http.call(`${baseUrlOf(options.authUrl)}/v1/api-keys/exchange`, { method: 'POST', json: { apiKey } });
    if (answer.status !== 200) {
      await answer.text();
      if (answer.status === 401) {
        bounded(refusedUntil);
        refusedUntil.set(cacheKey, options.clock.now() + refusalTtlMs);
      }
      throw refused();
    }
    const body = await answer.json<{ accessToken: string; expiresIn: number }>();
    const apiKeyId = apiKeyIdOf(body.accessToken);
    bounded(cache);
    cache.set(cacheKey, { token: body.accessToken, renewAt: options.clock.now() + Math.max(0, body.expiresIn - 30) * 1000, apiKeyId });
    if (apiKeyId !== undefined) {
      bounded(cacheKeyOfId);
      cacheKeyOfId.set(apiKeyId, cacheKey);
    }
    return body.accessToken;
  };

  return {
    async tokenFor(apiKey, beforeAskingAuth) {
      if (!apiKeyShape.test(apiKey)) throw refused();
      const cacheKey = createHash('sha256').update(apiKey).digest('base64url');
      const now = options.clock.now();
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > now) return cached.token;
      const refusal = refusedUntil.get(cacheKey);
      if (refusal !== undefined) {
        if (refusal > now) throw refused();
        refusedUntil.delete(cacheKey);
      }
      let pending = inFlight.get(cacheKey);
      if (!pending) {
        await beforeAskingAuth?.();
        pending = inFlight.get(cacheKey);
      }
      if (!pending) {
        pending = exchange(apiKey, cacheKey).finally(() => inFlight.delete(cacheKey));
        inFlight.set(cacheKey, pending);
      }
      return pending;
    },
    forget(apiKeyId) {
      const cacheKey = cacheKeyOfId.get(apiKeyId);
      if (cacheKey === undefined) return;
      cacheKeyOfId.delete(apiKeyId);
      cache.delete(cacheKey);
    },
  };
}
