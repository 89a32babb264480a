import type { Clock } from '../clock.js';
import type { HttpClient } from '../http/http-client.js';
import { baseUrlOf, type UrlSource } from '../http/url-source.js';

/** `name:secret,name:secret` (SERVICE_CLIENT_SECRETS) as a map. */
export function serviceClientSecrets(setting: string | undefined): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const pair of (setting ?? '').split(',')) {
    const separator = pair.indexOf(':');
    if (separator > 0) secrets.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
  }
  return secrets;
}

export interface ServiceTokenSource {
  /** A valid access token for this service, fetched from auth and reused until shortly before it expires. */
  token(): Promise<string>;
  /**
   * The called service answered 401 to `token`: it is not used again (its signing key was revoked,
   * say), and the next `token()` fetches a fresh one instead of failing until it expires.
   */
  refused(token: string): void;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) against auth's token endpoint: how one service
 * calls another as itself (`sub` = `svc:<name>`). One request in flight at a time; the token is
 * renewed 30 s before it expires.
 */
export function serviceTokenSource(options: { http: HttpClient; authUrl: UrlSource; clientId: string; clientSecret: string; clock: Clock }): ServiceTokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const answer = await options.http.call(`${baseUrlOf(options.authUrl)}/v1/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    if (answer.status !== 200) throw new Error(`auth refused the ${options.clientId} service's credentials (${answer.status})`);
    const body = await answer.json<{ access_token: string; expires_in: number }>();
    cached = { token: body.access_token, renewAt: options.clock.now() + Math.max(0, body.expires_in - 30) * 1000 };
    return body.access_token;
  };
  return {
    token: async () => {
      if (cached && cached.renewAt > options.clock.now()) return cached.token;
      inFlight ??= fetchToken().finally(() => (inFlight = undefined));
      return inFlight;
    },
    refused: (token) => {
      if (cached?.token === token) cached = undefined;
    },
  };
}
