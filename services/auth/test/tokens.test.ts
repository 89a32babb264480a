import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, remoteKeySource } from '@lift/kit';
import { backends, bearer, buildAuth, manualClock, registerUser } from './helper.js';

describe.each(backends)('access tokens on $name', ({ postgres }) => {
  it('carry the platform\'s claims and verify with an independent client against the live JWKS', async () => {
    const { app } = await buildAuth({ postgres, clock: { now: () => Date.now() } });
    const session = await registerUser(app, 'ada@example.com');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    // jose is an independent implementation: it fetches the JWKS itself and checks everything.
    const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(session.accessToken, jwks, { issuer: 'http://localhost:8000/auth', audience: 'lift-os', typ: 'at+jwt' });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({ sub: session.userId, org: session.organisationId, roles: ['owner'], iss: 'http://localhost:8000/auth', aud: 'lift-os' });
    expect(payload.perms).toEqual(expect.arrayContaining(['memory:read', 'org:admin']));
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
  });

  it('last the shorter of ACCESS_TOKEN_TTL_SECONDS and JWT_EXPIRATION_HOURS', async () => {
    const { app } = await buildAuth({ postgres, env: { JWT_EXPIRATION_HOURS: '0.1', ACCESS_TOKEN_TTL_SECONDS: '3600' } });
    const session = await registerUser(app, 'ada@example.com');
    const claims = decodeJwt(session.accessToken);
    expect((claims.exp as number) - (claims.iat as number)).toBe(360);
  });

  it('keep verifying across a key rotation, and the kit verifier follows it without a restart', async () => {
    const clock = manualClock(Date.now());
    const { app } = await buildAuth({ postgres, clock, env: { SIGNING_KEY_ROTATION_DAYS: '1', ACCESS_TOKEN_TTL_SECONDS: '172800', JWT_EXPIRATION_HOURS: '48' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const verifier = createAccessTokenVerifier({
      keys: { algorithm: 'EdDSA', keys: remoteKeySource({ url: `http://127.0.0.1:${port}/.well-known/jwks.json`, clock, cooldownMs: 0 }) },
      issuer: 'http://localhost:8000/auth',
      audience: 'lift-os',
      clock,
    });
    const before = await registerUser(app, 'ada@example.com');
    expect((await verifier.verify(before.accessToken)).subject).toBe(before.userId);

    clock.advance(25 * 3_600_000);
    const after = await registerUser(app, 'grace@example.com');
    expect(decodeProtectedHeader(after.accessToken).kid).not.toBe(decodeProtectedHeader(before.accessToken).kid);
    const published = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as { kid: string }[];
    expect(published.map((key) => key.kid)).toEqual(expect.arrayContaining([decodeProtectedHeader(before.accessToken).kid, decodeProtectedHeader(after.accessToken).kid]));
    // The old token is still valid, and the new kid is fetched on first sight.
    expect((await verifier.verify(before.accessToken)).subject).toBe(before.userId);
    expect((await verifier.verify(after.accessToken)).subject).toBe(after.userId);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(before) })).statusCode).toBe(200);
  });

  it('are introspected by POST /v1/verify', async () => {
    const { app } = await buildAuth({ postgres });
    const session = await registerUser(app, 'ada@example.com');
    const active = await app.inject({ method: 'POST', url: '/v1/verify', payload: { token: session.accessToken } });
    expect(active.json()).toMatchObject({ active: true, sub: session.userId, org: session.organisationId, roles: ['owner'] });
    const inactive = await app.inject({ method: 'POST', url: '/v1/verify', payload: { token: `${session.accessToken}x` } });
    expect(inactive.json()).toEqual({ active: false });
  });
});
