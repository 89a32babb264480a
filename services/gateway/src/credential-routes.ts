/**
 * Where passwords, keys and client secrets are tried: limited by their own, tighter per-address
 * limit (RATE_LIMIT_CREDENTIALS_PER_IP), and refused (503) rather than let through unlimited when
 * the shared rate-limit store fails. Matched on the normalised path, so `/auth/v1/%6cogin` and
 * `/auth//v1/./login` count as sign-in too.
 */
const credentialRoutes = new Set(['/auth/v1/login', '/auth/v1/register', '/auth/v1/api-keys/exchange', '/auth/v1/oauth/token']);

export function isCredentialRoute(method: string, path: string): boolean {
  return method === 'POST' && credentialRoutes.has(path);
}
