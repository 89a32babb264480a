/**
 * What the gateway serves without a token: its own probes and docs, every service's probes and
 * docs through it, and the auth routes that exist to obtain a token in the first place.
 * Everything else needs `Authorization: Bearer <jwt>` or `X-API-Key`.
 */
const publicAuthRoutes = new Set([
  'POST /auth/v1/register',
  'POST /auth/v1/login',
  'POST /auth/v1/token/refresh',
  'POST /auth/v1/logout',
  'POST /auth/v1/api-keys/exchange',
  'POST /auth/v1/oauth/token',
  'POST /auth/v1/verify',
  'GET /auth/.well-known/jwks.json',
]);

const probeOrDocs = /^\/(auth|memory|registry|billing|observability)\/(health|ready|openapi\.json|docs(\/.*)?)$/;

export function isPublicRoute(method: string, path: string): boolean {
  if (publicAuthRoutes.has(`${method} ${path}`)) return true;
  if (probeOrDocs.test(path)) return method === 'GET' || method === 'HEAD';
  return false;
}

/**
 * Routes where a failing rate-limit store must refuse (503) rather than let traffic through.
 * Both rules match the normalised path, so `/auth/v1/%6cogin` is sign-in and
 * `/billing/docs/../v1/plans` is not a docs page.
 */
export function isCredentialRoute(method: string, path: string): boolean {
  return method === 'POST' && (path === '/auth/v1/login' || path === '/auth/v1/register' || path === '/auth/v1/api-keys/exchange' || path === '/auth/v1/oauth/token');
}
