import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, createAccessTokenVerifier, serviceTokenVerifier, systemClock, type TokenVerificationConfig } from '../src/index.js';

// Issue #10 item 4: with JWT_ALGORITHM=HS256 and no JWT_SECRET, services verified with an empty
// key, so anyone could sign tokens the platform accepted.
const settings = (secret: string | undefined, nodeEnv = 'development'): TokenVerificationConfig & { NODE_ENV: string } => ({
  AUTH_SERVICE_URL: 'http://127.0.0.1:8001',
  JWT_ALGORITHM: 'HS256',
  PUBLIC_URL: 'http://localhost:8000',
  JWT_ISSUER: 'lift-os-core',
  JWT_AUDIENCE: 'lift-os',
  JWT_SECRET: secret,
  NODE_ENV: nodeEnv,
});

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('HS256 verifiers', () => {
  it('refuse to be built without a secret, in every mode', () => {
    for (const nodeEnv of ['development', 'test', 'production']) {
      expect(problemsOf(() => serviceTokenVerifier(settings(undefined, nodeEnv), systemClock)), nodeEnv).toEqual([
        'JWT_SECRET: must be at least 32 bytes when JWT_ALGORITHM=HS256 (it is not set); generate one with: openssl rand -base64 48',
      ]);
    }
  });

  it('refuse a secret shorter than 32 bytes without printing it', () => {
    const problems = problemsOf(() => serviceTokenVerifier(settings('a'.repeat(31)), systemClock));
    expect(problems).toEqual(['JWT_SECRET: must be at least 32 bytes when JWT_ALGORITHM=HS256 (it has 31); generate one with: openssl rand -base64 48']);
    // Counted in bytes, not characters: 16 two-byte characters are enough.
    expect(() => serviceTokenVerifier(settings('é'.repeat(16)), systemClock)).not.toThrow();
  });

  it('refuse a short key however the verifier is built (SDK, modules, tests)', () => {
    for (const secret of [Buffer.alloc(0), Buffer.alloc(31, 1)]) {
      expect(problemsOf(() => createAccessTokenVerifier({ keys: { algorithm: 'HS256', secret }, issuer: 'lift-os-core', audience: 'lift-os', clock: systemClock }))[0]).toMatch(/^JWT_SECRET: must be at least 32 bytes/);
    }
  });

  it('verify tokens signed with a secret of 32 bytes, and reject one forged with an empty key', async () => {
    const secret = 's'.repeat(32);
    const verifier = serviceTokenVerifier(settings(secret), systemClock);
    const signed = await new SignJWT({ org: 'org-1', roles: [], perms: ['memory:read'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('user-1')
      .setIssuer('lift-os-core')
      .setAudience('lift-os')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('genuine')
      .sign(new TextEncoder().encode(secret));
    expect((await verifier.verify(signed)).subject).toBe('user-1');
    // What anyone could sign before: the same claims, HMAC'd with the empty key.
    const [header, payload] = signed.split('.') as [string, string];
    const forged = `${header}.${payload}.${createHmac('sha256', '').update(`${header}.${payload}`).digest('base64url')}`;
    await expect(serviceTokenVerifier(settings(secret), systemClock).verify(forged)).rejects.toMatchObject({ status: 401 });
  });
});
