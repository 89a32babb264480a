/**
 * The API key a request through this gateway revokes at auth (`DELETE /auth/v1/api-keys/{id}`),
 * if it is one. When auth answers 204 the gateway applies the revocation itself, before the answer
 * leaves: the next request through this replica is refused, without waiting for auth's revocation
 * event (which still reaches every replica, within a second, and is idempotent).
 */
export function apiKeyRevokedBy(method: string, upstream: string, servicePath: string): string | undefined {
  if (method !== 'DELETE' || upstream !== 'auth') return undefined;
  const match = /^\/v1\/api-keys\/([^/?]+)$/.exec(servicePath);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
}
