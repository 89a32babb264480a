import { OAuthError } from './oauth-error.js';

/**
 * The permissions a token gets: all `available` ones, or — when the request names a `scope`
 * (space-separated permissions, RFC 6749 §3.3) — those, each of which must be available.
 */
export function grantedScope(requested: string | undefined, available: readonly string[]): readonly string[] {
  if (requested === undefined || requested.trim() === '') return available;
  const asked = [...new Set(requested.split(' ').filter((entry) => entry !== ''))];
  const unavailable = asked.filter((permission) => !available.includes(permission));
  if (unavailable.length > 0) throw new OAuthError('invalid_scope', `Not available to this request: ${unavailable.join(' ')}.`);
  return asked;
}
