import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, defaultTokenIssuer, remoteKeySource, type Clock } from '@lift/kit';
import { backends, bearer, buildAuth, loginUser, manualClock, registerUser } from './helper.js';

const kidOf = (session: { accessToken: string }) => decodeProtectedHeader(session.accessToken).kid as string;
const day = 86_400_000;

/** A verifier in another service: it reads auth's JWKS as the kit does, but never because of an unknown kid. */
async function remoteVerifier(app: Awaited<ReturnType<typeof buildAuth>>['app'], clock: Clock) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const keys = remoteKeySource({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/.well-known/jwks.json`, clock, cooldownMs: 365 * day });
  const verifier = createAccessTokenVerifier({ keys: { algorithm: 'EdDSA', keys }, issuer: defaultTokenIssuer, audience: 'lift-os', clock });
  // refreshFor on a made-up kid waits for a read already under way (the cooldown forbids a new one).
  return { verifier, readDone: () => keys.refreshFor('none') };
}

describe.each(backends)('signing keys on $name', ({ postgres }) => {
  it('publish a successor before it signs, so a verifier that only rereads on schedule accepts its first tokens', async () => {
    const clock = manualClock(Date.now());
    const first = await buildAuth({ postgres, clock, env: { SIGNING_KEY_ROTATION_DAYS: '1', ACCESS_TOKEN_TTL_SECONDS: '3600' } });
    const remote = await remoteVerifier(first.app, clock);
    const early = await registerUser(first.app, 'ada@example.com');
    await remote.verifier.verify(early.accessToken);

    // Nine minutes before the switch the successor is in the JWKS, but the old key still signs.
    clock.advance(day - 9 * 60_000);
    const before = await registerUser(first.app, 'grace@example.com');
    expect(kidOf(before)).toBe(kidOf(early));
    const published = (await first.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as { kid: string }[];
    expect(published).toHaveLength(2);
    const successor = published.map((key) => key.kid).find((kid) => kid !== kidOf(early)) as string;

    // The verifier's keys are older than the JWKS's max-age: it reads them again on its own.
    clock.advance(61_000);
    await remote.verifier.verify(before.accessToken);
    await remote.readDone();

    // After the switch, another replica signs with the successor, and the verifier knows it already.
    clock.advance(9 * 60_000);
    const replica = await buildAuth({ postgres, clock, storage: first.storage, env: { SIGNING_KEY_ROTATION_DAYS: '1', ACCESS_TOKEN_TTL_SECONDS: '3600' } });
    const after = await registerUser(replica.app, 'alan@example.com');
    expect(kidOf(after)).toBe(successor);
    await expect(remote.verifier.verify(after.accessToken)).resolves.toMatchObject({ subject: after.userId });
    expect(kidOf(await registerUser(first.app, 'edsger@example.com'))).toBe(successor);
    // The old key's tokens stay valid until they expire.
    await expect(remote.verifier.verify(before.accessToken)).resolves.toMatchObject({ subject: before.userId });
  });

  it('answer the JWKS with the max-age verifiers reread it after', async () => {
    const { app } = await buildAuth({ postgres });
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).headers['cache-control']).toBe('public, max-age=60');
  });

  it('can be rotated ahead of schedule by a platform admin: published now, signing after the lead time', async () => {
    const clock = manualClock(Date.now());
    const { app } = await buildAuth({ postgres, clock });
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    const rotated = await app.inject({ method: 'POST', url: '/v1/signing-keys/rotate', headers: bearer(admin), payload: {} });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json()).toMatchObject({ state: 'scheduled', algorithm: 'EdDSA' });
    const next = rotated.json().kid as string;
    expect(((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as { kid: string }[]).map((key) => key.kid)).toContain(next);
    expect(kidOf(await loginUser(app, 'admin@lift.test', 'platform admin passphrase'))).toBe(kidOf(admin));
    clock.advance(5 * 60_000 + 11_000);
    expect(kidOf(await loginUser(app, 'admin@lift.test', 'platform admin passphrase'))).toBe(next);

    const tenant = await registerUser(app, 'ada@example.com');
    expect((await app.inject({ method: 'POST', url: '/v1/signing-keys/rotate', headers: bearer(tenant), payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/signing-keys', headers: bearer(tenant) })).statusCode).toBe(403);
  });

  it('leave the JWKS at once when revoked: auth refuses their tokens now, other verifiers within the max-age', async () => {
    const clock = manualClock(Date.now());
    const { app } = await buildAuth({ postgres, clock });
    const remote = await remoteVerifier(app, clock);
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    const leaked = kidOf(admin);
    await remote.verifier.verify(admin.accessToken);

    const revoked = await app.inject({ method: 'DELETE', url: `/v1/signing-keys/${leaked}`, headers: bearer(admin) });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ kid: leaked, state: 'revoked' });
    expect(((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as { kid: string }[]).map((key) => key.kid)).not.toContain(leaked);
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin) })).statusCode).toBe(401);

    // A new key signs at once; the remembered token is refused once the verifier has reread the keys.
    const again = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    expect(kidOf(again)).not.toBe(leaked);
    const keys = (await app.inject({ method: 'GET', url: '/v1/signing-keys', headers: bearer(again) })).json().items as { kid: string; state: string }[];
    expect(keys.find((key) => key.kid === leaked)?.state).toBe('revoked');
    expect(keys.find((key) => key.kid === kidOf(again))?.state).toBe('signing');
    clock.advance(61_000);
    await remote.verifier.verify(admin.accessToken).catch(() => undefined);
    await remote.readDone();
    await expect(remote.verifier.verify(admin.accessToken)).rejects.toMatchObject({ status: 401 });
    expect((await app.inject({ method: 'DELETE', url: '/v1/signing-keys/no-such-kid', headers: bearer(again) })).statusCode).toBe(404);
  });

  it('are not there to manage with HS256', async () => {
    const { app } = await buildAuth({ postgres, env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: 'a secret of at least thirty-two bytes, for HS256' } });
    const admin = await loginUser(app, 'admin@lift.test', 'platform admin passphrase');
    const answer = await app.inject({ method: 'GET', url: '/v1/signing-keys', headers: bearer(admin) });
    expect(answer.statusCode).toBe(409);
    expect(answer.json().code).toBe('AUTH_SIGNING_KEYS_UNAVAILABLE');
  });
});
