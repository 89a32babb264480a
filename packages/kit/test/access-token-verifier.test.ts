import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, remoteKeySource, staticKeySource, type KeySource } from '../src/index.js';
import { manualClock, startRecordingServer } from './helper.js';

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'EdDSA' };
  return { kid, privateKey, jwk };
}

async function token(privateKey: KeyObject, kid: string, nowSeconds: number, claims: Record<string, unknown> = {}) {
  return new SignJWT({ org: 'org-1', roles: ['member'], perms: ['memory:read'], ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
    .setSubject('user-1')
    .setIssuer('lift-os-core')
    .setAudience('lift-os')
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 900)
    .setJti(`jti-${Math.random()}`)
    .sign(privateKey);
}

describe('the kit\'s access-token verifier', () => {
  it('returns the identity of a valid token', async () => {
    const clock = manualClock();
    const key = keyPair('k1');
    const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: staticKeySource({ keys: [key.jwk] }) }, issuer: 'lift-os-core', audience: 'lift-os', clock });
    const identity = await verifier.verify(await token(key.privateKey, 'k1', clock.now() / 1000));
    expect(identity).toMatchObject({ subject: 'user-1', organisation: 'org-1', roles: ['member'], permissions: ['memory:read'] });
  });

  it('remembers a verified token while its key is trusted, but not past its expiry', async () => {
    const clock = manualClock();
    const key = keyPair('k1');
    const other = keyPair('k1');
    let published = key.jwk;
    const changing: KeySource = { keyFor: (kid) => staticKeySource({ keys: [published] }).keyFor(kid), refreshFor: async () => false };
    const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: changing }, issuer: 'lift-os-core', audience: 'lift-os', clock, leewaySeconds: 0 });
    const jwt = await token(key.privateKey, 'k1', clock.now() / 1000);
    await verifier.verify(jwt);
    // The signature is not checked again (it would not match this key now): the kid is still trusted.
    published = other.jwk;
    await expect(verifier.verify(jwt)).resolves.toMatchObject({ subject: 'user-1' });
    clock.advance(900_000);
    await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
  });

  it('stops accepting a remembered token once its key is no longer trusted (the signer removed it)', async () => {
    const clock = manualClock();
    const key = keyPair('k1');
    let trusted = true;
    const revocable: KeySource = { keyFor: (kid) => (trusted ? staticKeySource({ keys: [key.jwk] }).keyFor(kid) : undefined), refreshFor: async () => false };
    const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: revocable }, issuer: 'lift-os-core', audience: 'lift-os', clock });
    const jwt = await token(key.privateKey, 'k1', clock.now() / 1000);
    await verifier.verify(jwt);
    trusted = false;
    await expect(verifier.verify(jwt)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/unknown key/) });
  });

  it('fetches the JWKS again when a token names a new kid, at most once per cooldown', async () => {
    const clock = manualClock();
    const first = keyPair('k1');
    const second = keyPair('k2');
    let published = [first.jwk];
    const jwks = await startRecordingServer(() => ({ body: JSON.stringify({ keys: published }) }));
    const verifier = createAccessTokenVerifier({
      keys: { algorithm: 'EdDSA', keys: remoteKeySource({ url: jwks.url, clock, cooldownMs: 30_000 }) },
      issuer: 'lift-os-core',
      audience: 'lift-os',
      clock,
    });
    await verifier.verify(await token(first.privateKey, 'k1', clock.now() / 1000));
    expect(jwks.received).toHaveLength(1);

    published = [first.jwk, second.jwk];
    const rotated = await token(second.privateKey, 'k2', clock.now() / 1000);
    // Within the cooldown an unknown kid does not cause a fetch (a flood of made-up kids costs nothing).
    await expect(verifier.verify(rotated)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect(jwks.received).toHaveLength(1);
    clock.advance(30_000);
    expect((await verifier.verify(rotated)).subject).toBe('user-1');
    expect(jwks.received).toHaveLength(2);
  });

  it('learns an emergency key within a second, even when a made-up kid was just tried', async () => {
    const clock = manualClock();
    const first = keyPair('k1');
    const emergency = keyPair('k2');
    let published = [first.jwk];
    const jwks = await startRecordingServer(() => ({ body: JSON.stringify({ keys: published }) }));
    const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: remoteKeySource({ url: jwks.url, clock }) }, issuer: 'lift-os-core', audience: 'lift-os', clock });
    await verifier.verify(await token(first.privateKey, 'k1', clock.now() / 1000));
    clock.advance(2_000);
    // Someone sends a token naming a kid nobody published: one read of the keys.
    await expect(verifier.verify(await token(keyPair('made-up').privateKey, 'made-up', clock.now() / 1000))).rejects.toMatchObject({ status: 401 });
    // Then auth rotates immediately: a second later the new key's tokens are accepted.
    published = [first.jwk, emergency.jwk];
    clock.advance(1_000);
    expect((await verifier.verify(await token(emergency.privateKey, 'k2', clock.now() / 1000))).subject).toBe('user-1');
    expect(jwks.received).toHaveLength(3);
  });

  it('accepts only its one algorithm and ignores keys that are not Ed25519 signing keys', async () => {
    const clock = manualClock();
    const key = keyPair('k1');
    const encryptionKey = { ...key.jwk, kid: 'enc', use: 'enc' };
    const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys: staticKeySource({ keys: [encryptionKey] }) }, issuer: 'lift-os-core', audience: 'lift-os', clock });
    await expect(verifier.verify(await token(key.privateKey, 'enc', clock.now() / 1000))).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    const hs = createAccessTokenVerifier({ keys: { algorithm: 'HS256', secret: Buffer.alloc(32, 1) }, issuer: 'lift-os-core', audience: 'lift-os', clock });
    await expect(hs.verify(await token(key.privateKey, 'k1', clock.now() / 1000))).rejects.toThrow(/only HS256 is accepted/);
  });
});
