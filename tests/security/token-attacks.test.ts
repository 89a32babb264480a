import { createHash, generateKeyPairSync, createHmac } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { startStandIn } from '../support/stand-in-server.js';

/**
 * Token, key and session attacks (issue #21) against the real gateway and each service directly:
 * every service verifies tokens itself, so each must refuse what the gateway refuses. Forgeries
 * with the right signature and the wrong claims are made with the installation's own signing key,
 * read from auth's database as an insider could — the strongest position short of stealing it,
 * and the only way to test that claims are checked and not just signatures.
 */
let stack: PlatformStack;
let realToken = '';
let realHeader: Record<string, unknown> = {};
let realClaims: JWTPayload = {};
let signingKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
/** A server an attacker controls, named in jku/x5u headers: nobody may fetch from it. */
let attackerServer: Awaited<ReturnType<typeof startStandIn>>;
const attacker = generateKeyPairSync('ed25519');

/** A protected GET on each service, straight and through the gateway: any valid tenant token reads it. */
const protectedRoutes = () => [
  { name: 'gateway → memory', url: `${stack.gateway.url}/memory/v1/memories` },
  { name: 'auth', url: `${stack.services.auth.url}/v1/me` },
  { name: 'billing', url: `${stack.services.billing.url}/v1/plans` },
  { name: 'memory', url: `${stack.services.memory.url}/v1/memories` },
  { name: 'observability', url: `${stack.services.observability.url}/v1/logs` },
  { name: 'registry', url: `${stack.services.registry.url}/v1/modules` },
];

async function statusesWith(token: string): Promise<Record<string, number>> {
  const answers = await Promise.all(protectedRoutes().map(async (route) => [route.name, (await fetch(route.url, { headers: { authorization: `Bearer ${token}` } })).status] as const));
  return Object.fromEntries(answers);
}

const refusedEverywhere = () => Object.fromEntries(protectedRoutes().map((route) => [route.name, 401]));
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const unsigned = (header: object, claims: object) => `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;

/** Signed with the installation's real key: only the claims or header can be wrong. */
async function signedByTheInstallation(claims: JWTPayload, header: Record<string, unknown> = realHeader): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ...header, alg: 'EdDSA', kid: signingKey.kid } as { alg: string }).sign(await importJWK(signingKey.privateJwk, 'EdDSA'));
}

async function signedByTheAttacker(header: Record<string, unknown>): Promise<string> {
  return new SignJWT(realClaims).setProtectedHeader({ ...realHeader, alg: 'EdDSA', ...header } as { alg: string }).sign(attacker.privateKey);
}

beforeAll(async () => {
  stack = await startPlatformStack({ RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_CREDENTIALS_PER_IP: '1000000' });
  attackerServer = await startStandIn((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ ...exportJwkSync(), kid: 'attacker' }] })));
  const registered = await fetch(`${stack.gateway.url}/auth/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'mallory@attacks.test', password: 'a long enough passphrase' }) });
  realToken = ((await registered.json()) as { accessToken: string }).accessToken;
  realHeader = decodeProtectedHeader(realToken) as Record<string, unknown>;
  realClaims = decodeJwt(realToken);
  const database = new Database(join(stack.cwd, 'data', 'lift.auth.db'), { readonly: true, fileMustExist: true });
  try {
    const row = database.prepare('select kid, private_jwk, public_jwk from signing_keys where kid = ?').get(realHeader.kid) as { kid: string; private_jwk: string; public_jwk: string };
    signingKey = { kid: row.kid, privateJwk: JSON.parse(row.private_jwk) as JWK, publicJwk: JSON.parse(row.public_jwk) as JWK };
  } finally {
    database.close();
  }
}, 120_000);

afterAll(async () => {
  await attackerServer?.close();
  await stack?.stop();
});

let attackerJwk: JWK | undefined;
function exportJwkSync(): JWK {
  attackerJwk ??= attacker.publicKey.export({ format: 'jwk' }) as JWK;
  return attackerJwk;
}

describe('access tokens every service refuses, straight and through the gateway', () => {
  it('accepts the real token and a re-signed copy of it everywhere (the baseline the refusals are measured against)', async () => {
    for (const token of [realToken, await signedByTheInstallation(realClaims)]) {
      const statuses = await statusesWith(token);
      for (const [route, status] of Object.entries(statuses)) expect(status, route).toBe(200);
    }
  });

  it('refuses forged signatures: alg none, HS256 keyed with the public key, an unknown kid, the right kid with another key, a tampered payload', async () => {
    const publicKeyBytes = Buffer.from(signingKey.publicJwk.x ?? '', 'base64url');
    const hs256With = (secret: Buffer | string) => {
      const head = unsigned({ ...realHeader, alg: 'HS256' }, realClaims);
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
    };
    const [header, , signature] = realToken.split('.') as [string, string, string];
    const forgeries: Record<string, string> = {
      'alg none': `${unsigned({ ...realHeader, alg: 'none' }, realClaims)}.`,
      'alg None, signature kept': `${unsigned({ ...realHeader, alg: 'None' }, realClaims)}.${signature}`,
      'HS256 keyed with the public key bytes': hs256With(publicKeyBytes),
      'HS256 keyed with the public JWK': hs256With(JSON.stringify(signingKey.publicJwk)),
      'HS256 keyed with the public key PEM': hs256With(createPublicPem(signingKey.publicJwk)),
      'an unknown kid': await signedByTheAttacker({ kid: 'no-such-key' }),
      'the real kid, the attacker\'s key': await signedByTheAttacker({ kid: signingKey.kid }),
      'a kid that is a path': await signedByTheAttacker({ kid: '../../../../etc/passwd' }),
      'permissions added to a real token': `${header}.${base64url(JSON.stringify({ ...realClaims, perms: [...((realClaims.perms as string[]) ?? []), 'platform:admin', 'registry:admin'] }))}.${signature}`,
    };
    for (const [name, token] of Object.entries(forgeries)) expect(await statusesWith(token), name).toEqual(refusedEverywhere());
  });

  it('never fetches or trusts a key the token names itself: jku, x5u and an embedded jwk', async () => {
    const forgeries = {
      jku: await signedByTheAttacker({ kid: 'attacker', jku: `${attackerServer.url}/jwks.json` }),
      x5u: await signedByTheAttacker({ kid: 'attacker', x5u: `${attackerServer.url}/cert.pem` }),
      'embedded jwk': await signedByTheAttacker({ kid: 'attacker', jwk: exportJwkSync() }),
      'embedded jwk under the real kid': await signedByTheAttacker({ kid: signingKey.kid, jwk: exportJwkSync() }),
    };
    for (const [name, token] of Object.entries(forgeries)) expect(await statusesWith(token), name).toEqual(refusedEverywhere());
    expect(attackerServer.received).toEqual([]);
  });

  it('refuses the installation\'s own signature on the wrong claims: expired, not yet valid, issued in the future, another issuer or audience, a module\'s audience, another type', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string> = {
      expired: await signedByTheInstallation({ ...realClaims, iat: now - 3600, exp: now - 60 }),
      'not valid before next hour': await signedByTheInstallation({ ...realClaims, nbf: now + 3600 }),
      'issued next hour': await signedByTheInstallation({ ...realClaims, iat: now + 3600, exp: now + 7200 }),
      'no expiry': await signedByTheInstallation(Object.fromEntries(Object.entries(realClaims).filter(([claim]) => claim !== 'exp'))),
      'another issuer': await signedByTheInstallation({ ...realClaims, iss: 'https://evil.example' }),
      'another audience': await signedByTheInstallation({ ...realClaims, aud: 'someone-else' }),
      // What the gateway sends a module: replayed on a core service, it must be worth nothing there.
      'a module\'s audience': await signedByTheInstallation({ ...realClaims, aud: 'module:template' }),
      'an ID-token type': await signedByTheInstallation(realClaims, { ...realHeader, typ: 'JWT' }),
    };
    for (const [name, token] of Object.entries(cases)) expect(await statusesWith(token), name).toEqual(refusedEverywhere());
  });
});

describe('keys and sessions', () => {
  const call = (path: string, init: RequestInit = {}) => fetch(`${stack.gateway.url}${path}`, init);

  it('refuses a revoked API key on the very next request, and an API key never reaches a service', async () => {
    const created = await call('/auth/v1/api-keys', { method: 'POST', headers: { authorization: `Bearer ${realToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'to revoke', permissions: ['memory:read'] }) });
    const key = (await created.json()) as { id: string; key: string };
    expect((await call('/memory/v1/memories', { headers: { 'x-api-key': key.key } })).status).toBe(200);
    // Straight to a service, an API key is no credential: only the gateway exchanges it.
    expect((await fetch(`${stack.services.memory.url}/v1/memories`, { headers: { 'x-api-key': key.key } })).status).toBe(401);
    expect((await fetch(`${stack.services.memory.url}/v1/memories`, { headers: { authorization: `Bearer ${key.key}` } })).status).toBe(401);
    expect((await call(`/auth/v1/api-keys/${key.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${realToken}` } })).status).toBe(204);
    // The very next requests — a parallel burst of them — are refused.
    const after = await Promise.all(Array.from({ length: 20 }, () => call('/memory/v1/memories', { headers: { 'x-api-key': key.key } })));
    expect(after.map((answer) => answer.status)).toEqual(after.map(() => 401));
  });

  it('revokes the whole family when a rotated-away refresh token comes back', async () => {
    const login = async () => (await (await call('/auth/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'mallory@attacks.test', password: 'a long enough passphrase' }) })).json()) as { refreshToken: string };
    const refresh = (refreshToken: string) => call('/auth/v1/token/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    const first = await login();
    const second = (await (await refresh(first.refreshToken)).json()) as { refreshToken: string };
    const third = (await (await refresh(second.refreshToken)).json()) as { refreshToken: string };
    // The first token again, after its successor was used in turn: theft is assumed, and the thief's and the owner's sessions end.
    const reused = await refresh(first.refreshToken);
    expect(reused.status).toBe(401);
    expect((await reused.json()) as { code: string }).toMatchObject({ code: 'AUTH_REFRESH_TOKEN_REUSED' });
    expect((await refresh(third.refreshToken)).status).toBe(401);
  });

  it('refuses the console\'s refresh cookie sent cross-site: without the CSRF token, or with another session\'s', async () => {
    const cookieLogin = async () => {
      const answer = await call('/auth/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'mallory@attacks.test', password: 'a long enough passphrase', refreshTokenDelivery: 'cookie' }) });
      const cookies = Object.fromEntries(answer.headers.getSetCookie().map((line) => (line.split(';')[0] ?? '').split('=') as [string, string]));
      return { refresh: cookies.lift_refresh ?? '', csrf: cookies.lift_csrf ?? '' };
    };
    const [victim, other] = await Promise.all([cookieLogin(), cookieLogin()]);
    const refresh = (headers: Record<string, string>) => call('/auth/v1/token/refresh', { method: 'POST', headers: { 'content-type': 'application/json', cookie: `lift_refresh=${victim.refresh}`, ...headers }, body: '{}' });
    // A form or script on another site: the browser would send the cookie (were it not SameSite=Strict,
    // which the console-session suites assert) but the page cannot read lift_csrf to send it back.
    // The CSRF token is the defence, not the Origin header (which auth does not check).
    expect((await refresh({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await refresh({ 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await refresh({ 'x-csrf-token': createHash('sha256').update(victim.refresh).digest('base64url') })).status).toBe(403);
    expect((await refresh({ 'x-csrf-token': victim.csrf })).status).toBe(200);
  });
});

/** The PEM (SPKI) of an Ed25519 public JWK, as an attacker would copy it from the JWKS. */
function createPublicPem(jwk: JWK): string {
  const prefix = Buffer.from('302a300506032b6570032100', 'hex');
  const der = Buffer.concat([prefix, Buffer.from(jwk.x ?? '', 'base64url')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

