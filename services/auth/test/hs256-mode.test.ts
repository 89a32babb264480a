import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@lift/kit';
import { bearer, buildAuth, registerUser } from './helper.js';

const secret = 'an HS256 secret that is long enough to be safe';

describe('HS256 mode (JWT_ALGORITHM=HS256, the seed\'s shared secret)', () => {
  it('signs with JWT_SECRET, publishes no keys, and verifies its own tokens', async () => {
    const { app } = await buildAuth({ env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret } });
    const session = await registerUser(app, 'ada@example.com');
    expect(decodeProtectedHeader(session.accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(session.accessToken, new TextEncoder().encode(secret), { issuer: 'http://localhost:8000/auth', audience: 'lift-os', currentDate: new Date('2026-11-28T09:00:00Z') });
    expect(payload.sub).toBe(session.userId);
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()).toEqual({ keys: [] });
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) })).statusCode).toBe(200);
  });

  it('refuses a token signed with another secret', async () => {
    const { app } = await buildAuth({ env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret } });
    const other = await buildAuth({ env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: `${secret} but different` } });
    const session = await registerUser(other.app, 'ada@example.com');
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(session) })).statusCode).toBe(401);
  });

  it('stops at start when the secret is shorter than 32 bytes', async () => {
    const error = await buildAuth({ env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: 'dev-secret-key' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['JWT_SECRET: must be at least 32 bytes when JWT_ALGORITHM=HS256 (it has 14); generate one with: openssl rand -base64 48']);
  });
});
