import { UnauthorizedError } from '../errors.js';

/** Stable codes of token verification failures, shared by every service. */
export const tokenErrorCodes = {
  missing: 'AUTH_TOKEN_MISSING',
  invalid: 'AUTH_TOKEN_INVALID',
  expired: 'AUTH_TOKEN_EXPIRED',
} as const;

/**
 * A 401 with the RFC 6750 challenge. The detail says what is wrong in terms a client developer
 * can act on, without echoing the token.
 */
export function tokenRejected(reason: string, code: string = tokenErrorCodes.invalid): UnauthorizedError {
  const description = reason.replace(/"/g, "'");
  return new UnauthorizedError(code, `The access token was refused: ${reason}.`, {
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  });
}

export function tokenMissing(): UnauthorizedError {
  return new UnauthorizedError(tokenErrorCodes.missing, 'This route needs an access token: send Authorization: Bearer <token>.', {
    headers: { 'www-authenticate': 'Bearer' },
  });
}
