import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { backends, buildAuth, manualClock, registerUser, type AuthUnderTest } from './helper.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signingKeyOf(auth: AuthUnderTest) {
  const row = await auth.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
  return { kid: row.kid, privateKey: createPrivateKey({ key: JSON.parse(row.private_jwk), format: 'jwk' }), publicJwk: JSON.parse(row.public_jwk) as { x: string } };
}

async function expectRefused(auth: AuthUnderTest, token: string, code = 'AUTH_TOKEN_INVALID') {
  const response = await auth.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode, token.slice(0, 60)).toBe(401);
  expect(response.json().code).toBe(code);
  expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  expect((await auth.app.inject({ method: 'POST', url: '/v1/verify', payload: { token } })).json()).toEqual({ active: false });
}

describe.each(backends)('forged and stale tokens on $name are refused with 401', ({ postgres }) => {
  it('a tampered payload', async () => {
    const auth = await buildAuth({ postgres });
    const { accessToken } = await registerUser(auth.app, 'ada@example.com');
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    await expectRefused(auth, `${header}.${b64({ ...claims, perms: [...claims.perms, 'platform:admin'] })}.${signature}`);
  });

  it('a token signed with another key under the same kid', async () => {
    const auth = await buildAuth({ postgres });
    await registerUser(auth.app, 'ada@example.com');
    const { kid } = await signingKeyOf(auth);
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await new SignJWT({ org: 'o', roles: ['owner'], perms: ['platform:admin'] })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
      .setSubject('u').setIssuer('http://localhost:8000/auth').setAudience('lift-os').setIssuedAt().setExpirationTime('5m').setJti('j')
      .sign(privateKey);
    await expectRefused(auth, forged);
  });

  it('alg: none', async () => {
    const auth = await buildAuth({ postgres });
    await registerUser(auth.app, 'ada@example.com');
    const now = Math.floor(Date.parse('2026-11-28T09:00:00Z') / 1000);
    const claims = { sub: 'u', org: 'o', roles: [], perms: ['platform:admin'], iss: 'http://localhost:8000/auth', aud: 'lift-os', iat: now, exp: now + 600, jti: 'j' };
    await expectRefused(auth, `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`);
  });

  it('HS256 "signed" with the published public key (algorithm confusion)', async () => {
    const auth = await buildAuth({ postgres });
    await registerUser(auth.app, 'ada@example.com');
    const { kid, publicJwk } = await signingKeyOf(auth);
    const now = Math.floor(Date.parse('2026-11-28T09:00:00Z') / 1000);
    const claims = { sub: 'u', org: 'o', roles: [], perms: ['platform:admin'], iss: 'http://localhost:8000/auth', aud: 'lift-os', iat: now, exp: now + 600, jti: 'j' };
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims)}`;
    for (const secret of [publicJwk.x, JSON.stringify(publicJwk)]) {
      await expectRefused(auth, `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
    }
  });

  it('the right key but the wrong issuer, audience, type or validity window', async () => {
    const clock = manualClock();
    const auth = await buildAuth({ postgres, clock });
    await registerUser(auth.app, 'ada@example.com');
    const { kid, privateKey } = await signingKeyOf(auth);
    const now = Math.floor(clock.now() / 1000);
    const sign = (claims: Record<string, unknown>, typ = 'at+jwt') =>
      new SignJWT({ sub: 'u', org: 'o', roles: [], perms: [], iss: 'http://localhost:8000/auth', aud: 'lift-os', iat: now, exp: now + 600, jti: 'j', ...claims })
        .setProtectedHeader({ alg: 'EdDSA', typ, kid })
        .sign(privateKey);
    await expectRefused(auth, await sign({ iss: 'https://evil.example' }));
    await expectRefused(auth, await sign({ aud: 'another-api' }));
    await expectRefused(auth, await sign({}, 'JWT'));
    await expectRefused(auth, await sign({ nbf: now + 3600 }));
    await expectRefused(auth, await sign({ iat: now + 3600 }));
    await expectRefused(auth, await sign({ org: undefined }));
    await expectRefused(auth, await sign({ exp: now - 60 }), 'AUTH_TOKEN_EXPIRED');
  });

  it('a real token once it has expired', async () => {
    const clock = manualClock();
    const auth = await buildAuth({ postgres, clock });
    const { accessToken } = await registerUser(auth.app, 'ada@example.com');
    expect((await auth.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${accessToken}` } })).statusCode).toBe(200);
    clock.advance(901_000 + 30_000);
    await expectRefused(auth, accessToken, 'AUTH_TOKEN_EXPIRED');
  });

  it('a missing or malformed Authorization header', async () => {
    const auth = await buildAuth({ postgres });
    expect((await auth.app.inject({ method: 'GET', url: '/v1/me' })).json().code).toBe('AUTH_TOKEN_MISSING');
    const basic = await auth.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Basic YWRhOnB3' } });
    expect(basic.statusCode).toBe(401);
    await expectRefused(auth, 'not.a.jwt');
  });
});
