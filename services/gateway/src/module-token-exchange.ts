import { baseUrlOf, DependencyUnavailableError, ForbiddenError, type Clock, type HttpClient, type UrlSource } from '@lift/kit';
import { gatewayErrorCodes } from './errors.js';

export interface ModuleTokenExchangeOptions {
  readonly http: HttpClient;
  readonly authUrl: UrlSource;
  /** The gateway's own OAuth client credentials (client_secret_basic). */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clock: Clock;
  readonly maxEntries?: number;
}

export interface ModuleTokenExchange {
  /** A token for `moduleId` standing for the caller of `callerToken` (already verified by the edge). */
  tokenFor(callerToken: string, moduleId: string): Promise<string>;
}

const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * A module never sees the caller's platform token, which it could replay against the core
 * services: the gateway exchanges it at auth (RFC 8693) for one whose audience is the module. The
 * answer is cached per caller token and module until shortly before it expires, so the hot path
 * is a map lookup and auth sees one exchange per caller token and module.
 */
export function moduleTokenExchange(options: ModuleTokenExchangeOptions): ModuleTokenExchange {
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { token: string; renewAt: number }>();
  const inFlight = new Map<string, Promise<string>>();
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;

  const exchange = async (callerToken: string, moduleId: string, cacheKey: string): Promise<string> => {
    let answer;
    try {
      answer = await options.http.call(`${baseUrlOf(options.authUrl)}/v1/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: exchangeGrant, subject_token: callerToken, subject_token_type: accessTokenType, audience: `module:${moduleId}` }).toString(),
        timeoutMs: 5_000,
      });
    } catch (error) {
      throw new DependencyUnavailableError(gatewayErrorCodes.upstreamUnavailable, 'The auth service could not be reached to obtain the module\'s token; try again shortly.', { cause: error, headers: { 'retry-after': '1' } });
    }
    if (answer.status === 400 || answer.status === 401) {
      const refusal = await answer.json<{ error?: string; error_description?: string }>().catch(() => ({ error: undefined, error_description: undefined }));
      throw new ForbiddenError(gatewayErrorCodes.moduleTokenRefused, `Auth would not issue a token for the module "${moduleId}" to this caller: ${refusal.error_description ?? refusal.error ?? 'refused'}`, {
        extensions: { module: moduleId },
      });
    }
    if (answer.status !== 200) {
      await answer.text();
      throw new DependencyUnavailableError(gatewayErrorCodes.upstreamUnavailable, `The auth service answered ${answer.status} when asked for the module's token; try again shortly.`, { headers: { 'retry-after': '1' } });
    }
    const body = await answer.json<{ access_token: string; expires_in: number }>();
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    // Renewed 30 s before it expires, or half-way for a short-lived one (the caller's token was near its end).
    const reuseSeconds = Math.max(body.expires_in - 30, body.expires_in / 2);
    cache.set(cacheKey, { token: body.access_token, renewAt: options.clock.now() + reuseSeconds * 1000 });
    return body.access_token;
  };

  return {
    tokenFor(callerToken, moduleId) {
      const cacheKey = `${moduleId} ${callerToken}`;
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > options.clock.now()) return Promise.resolve(cached.token);
      let pending = inFlight.get(cacheKey);
      if (!pending) {
        pending = exchange(callerToken, moduleId, cacheKey).finally(() => inFlight.delete(cacheKey));
        inFlight.set(cacheKey, pending);
      }
      return pending;
    },
  };
}
