import { createHash } from 'node:crypto';
import { UnauthorizedError, type Clock, type HttpClient } from '@lift/kit';

/**
 * X-API-Key at the edge: the key is exchanged at auth for a short-lived access token, which is
 * cached (by the key's hash, never the key itself) until 30 s before it expires, so downstream
 * sees only JWTs and auth sees one exchange per key per ~4.5 minutes. A revoked key therefore
 * keeps working at most until its cached token is renewed: API_KEY_TOKEN_TTL_SECONDS (300 s).
 */
export function apiKeyExchange(options: { http: HttpClient; authUrl: string; clock: Clock; maxEntries?: number }) {
  const cache = new Map<string, { token: string; renewAt: number }>();
  const inFlight = new Map<string, Promise<string>>();
  const maxEntries = options.maxEntries ?? 10_000;

  const exchange = async (apiKey: string, cacheKey: string): Promise<string> => {
    const answer = await options.http.call(`${options.authUrl.replace(/\/$/, '')}/v1/api-keys/exchange`, { method: 'POST', json: { apiKey } });
    if (answer.status !== 200) {
      await answer.text();
      throw new UnauthorizedError('AUTH_API_KEY_INVALID', 'The API key is invalid, expired or revoked.', { headers: { 'www-authenticate': 'Bearer' } });
    }
    const body = await answer.json<{ accessToken: string; expiresIn: number }>();
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, { token: body.accessToken, renewAt: options.clock.now() + Math.max(0, body.expiresIn - 30) * 1000 });
    return body.accessToken;
  };

  return {
    async tokenFor(apiKey: string): Promise<string> {
      const cacheKey = createHash('sha256').update(apiKey).digest('base64url');
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > options.clock.now()) return cached.token;
      let pending = inFlight.get(cacheKey);
      if (!pending) {
        pending = exchange(apiKey, cacheKey).finally(() => inFlight.delete(cacheKey));
        inFlight.set(cacheKey, pending);
      }
      return pending;
    },
  };
}

export type ApiKeyExchange = ReturnType<typeof apiKeyExchange>;
