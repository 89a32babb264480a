import { ConfigError } from '../config/load-config.js';

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
export const minimumHs256SecretBytes = 32;

/**
 * Refuses an HS256 key an attacker could guess or brute-force offline: a shorter (or empty) secret
 * lets anyone who can try keys forge tokens for any organisation. Every HS256 signer and verifier
 * goes through here, in every mode, development included. The error names JWT_SECRET, the one
 * variable the platform takes the shared secret from, and never the secret itself.
 */
export function assertStrongHs256Secret(secret: Uint8Array): void {
  if (secret.length >= minimumHs256SecretBytes) return;
  const found = secret.length === 0 ? 'it is not set' : `it has ${secret.length}`;
  throw new ConfigError([`JWT_SECRET: must be at least ${minimumHs256SecretBytes} bytes when JWT_ALGORITHM=HS256 (${found}); generate one with: openssl rand -base64 48`]);
}

/** The HS256 key from JWT_SECRET, once it is long enough to be safe. */
export function hs256SecretFrom(secret: string | undefined): Buffer {
  const key = Buffer.from(secret ?? '', 'utf8');
  assertStrongHs256Secret(key);
  return key;
}
