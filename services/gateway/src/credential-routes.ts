/**
 * Where passwords, keys, client secrets and account tokens are tried, and account mail is sent:
 * limited by their own, tighter per-address limit (RATE_LIMIT_CREDENTIALS_PER_IP), and refused
 * (503) rather than let through unlimited when the shared rate-limit store fails. Matched on the normalised path, so `/auth/v1/%6cogin` and
 * `/auth//v1/./login` count as sign-in too.
 */
const credentialRoutes = new Set([
  '/auth/v1/login',
  '/auth/v1/register',
  '/auth/v1/register/confirm',
  '/auth/v1/api-keys/exchange',
  // Account life cycle (issue #12): they try tokens from links, set passwords or send mail.
  '/auth/v1/email-verification',
  '/auth/v1/email-verification/confirm',
  '/auth/v1/password-reset',
  '/auth/v1/password-reset/confirm',
  '/auth/v1/invitations/accept',
]);
const tokenEndpoint = '/auth/v1/oauth/token';
/** Creating an invitation sends mail to any address: the one sign-in route with an id in its path. */
const invitationCreation = /^\/auth\/v1\/organisations\/[^/]+\/invitations$/;

/**
 * The token endpoint counts as sign-in when a client authenticates with HTTP Basic (its secret is
 * tried there). A module exchanging its own token for a delegated one presents no secret, and
 * does so once per new caller: under the sign-in limit a module could serve only 30 new callers
 * a minute from its address, so it gets the ordinary per-address limit.
 */
export function isCredentialRoute(method: string, path: string, authorization: string | undefined): boolean {
  if (method !== 'POST') return false;
  return credentialRoutes.has(path) || invitationCreation.test(path) || (path === tokenEndpoint && authorization !== undefined);
}
