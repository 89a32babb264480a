import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidClient, OAuthError } from './oauth-error.js';

/** Client credentials as a token request presents them (RFC 6749 §2.3.1). */
export interface PresentedClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly method: 'client_secret_basic' | 'client_secret_post';
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The client credentials of a token request: HTTP Basic (each part form-urlencoded, then
 * base64), or `client_id` and `client_secret` in the body — never both. Anything malformed is
 * `invalid_client`, never a server error. No credentials at all is `undefined`: some grants
 * (a module exchanging its own token) need no client authentication.
 */
export function presentedClient(authorization: string | undefined, body: { client_id?: string | undefined; client_secret?: string | undefined }): PresentedClient | undefined {
  if (authorization !== undefined && authorization !== '') {
    const match = /^Basic +(\S+)$/i.exec(authorization);
    if (!match) throw invalidClient('Authenticate the client with HTTP Basic (client_secret_basic) or client_id and client_secret in the body.');
    const encoded = match[1] as string;
    if (encoded.length % 4 !== 0 || !base64.test(encoded)) throw invalidClient('The Basic credentials are not valid base64.');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) throw invalidClient('The Basic credentials must be client_id:client_secret.');
    const clientId = formDecoded(decoded.slice(0, separator));
    const clientSecret = formDecoded(decoded.slice(separator + 1));
    if (body.client_secret !== undefined) throw new OAuthError('invalid_request', 'Use one way to authenticate the client, not Basic credentials and client_secret together.');
    if (body.client_id !== undefined && body.client_id !== clientId) throw new OAuthError('invalid_request', 'client_id in the body differs from the Basic credentials.');
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (body.client_secret !== undefined) {
    if (body.client_id === undefined) throw invalidClient('client_secret needs a client_id.');
    return { clientId: body.client_id, clientSecret: body.client_secret, method: 'client_secret_post' };
  }
  return undefined;
}

/** RFC 6749 Appendix B: `+` is a space, then percent-decoding; a broken escape is the client's fault. */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient('The Basic credentials are not properly form-encoded.');
  }
}

/** The platform's confidential clients: its services (SERVICE_CLIENT_SECRETS), each with its permissions. */
export interface AuthenticatedClient {
  readonly clientId: string;
  readonly permissions: readonly string[];
}

/**
 * Checks presented credentials against the services' secrets, comparing digests in constant time
 * whether or not the client exists, so timing does not tell which clients there are.
 */
export function clientAuthenticator(secrets: ReadonlyMap<string, string>, permissionsOf: (clientId: string) => readonly string[] | undefined) {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return (presented: PresentedClient): AuthenticatedClient => {
    const expected = secrets.get(presented.clientId);
    const matches = timingSafeEqual(digest(presented.clientSecret), digest(expected ?? '\u0000no such client'));
    const permissions = permissionsOf(presented.clientId);
    if (!matches || expected === undefined || permissions === undefined) throw invalidClient('Unknown client or wrong secret.');
    return { clientId: presented.clientId, permissions };
  };
}
