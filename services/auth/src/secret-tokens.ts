import { createHash, randomBytes } from 'node:crypto';

/**
 * A bearer secret auth hands out once (an API key, a link's token, an invitation): a readable
 * prefix that says what it is (and lets secret scanners find it) and 256 random bits.
 */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored of such a secret: its SHA-256. 256 random bits leave nothing for a slow hash to
 * add, and a lookup by hash stays one indexed read.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
