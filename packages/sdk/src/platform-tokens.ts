import { systemClock, type Clock } from '@lift/kit';

export interface PlatformTokensOptions {
  /** The platform's gateway, e.g. http://localhost:8000. */
  readonly gatewayUrl: string;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly maxEntries?: number;
}

export interface PlatformTokens {
  /**
   * A token the core services accept (audience `lift-os`), acting for the caller of `moduleToken`
   * with at most what the module's manifest declares (`memoryRequirements`); `scope` narrows it.
   */
  tokenFor(moduleToken: string, scope?: string): Promise<string>;
}

/** An OAuth error answer of the platform's token endpoint (RFC 6749 §5.2). */
export class PlatformTokenError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(status: number, error: string, description: string | undefined) {
    super(description ?? `the token endpoint answered ${status} ${error}`);
    this.name = 'PlatformTokenError';
    this.status = status;
    this.error = error;
  }
}

const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * What a module does to call the platform on its caller's behalf: exchange the token the gateway
 * gave it (audience `module:<id>`) at auth's token endpoint (RFC 8693) for a delegated platform
 * token. Cached per token and scope until shortly before it expires.
 */
export function platformTokens(options: PlatformTokensOptions): PlatformTokens {
  const tokenEndpoint = `${options.gatewayUrl.replace(/\/$/, '')}/auth/v1/oauth/token`;
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? fetch;
  const maxEntries = options.maxEntries ?? 1_000;
  const cache = new Map<string, { token: string; renewAt: number }>();

  return {
    async tokenFor(moduleToken, scope) {
      const cacheKey = `${scope ?? ''} ${moduleToken}`;
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > clock.now()) return cached.token;
      const form = new URLSearchParams({ grant_type: exchangeGrant, subject_token: moduleToken, subject_token_type: accessTokenType, ...(scope === undefined ? {} : { scope }) });
      const response = await fetchImpl(tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() });
      const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
      if (!response.ok || typeof body.access_token !== 'string') throw new PlatformTokenError(response.status, body.error ?? 'invalid_response', body.error_description);
      const lifetime = body.expires_in ?? 60;
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, { token: body.access_token, renewAt: clock.now() + Math.max(lifetime - 30, lifetime / 2) * 1000 });
      return body.access_token;
    },
  };
}
