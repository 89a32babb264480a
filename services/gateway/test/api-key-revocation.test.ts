import { describe, expect, it } from 'vitest';
import { openSharedState, systemClock, type Clock } from '@lift/kit';
import { testEpoch } from '../../../tests/support/manual-clock.js';
import { bearerFor, testAccessToken } from '../../../tests/support/test-token.js';
import { buildGateway, manualClock, startUpstream, testSecret } from './helper.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';

const redisUrl = process.env.TEST_REDIS_URL;
const withoutRedis = skipUnless(redisUrl !== undefined, 'revocations over the Redis stream', 'TEST_REDIS_URL');

/**
 * A stand-in auth whose exchange knows one key until it is revoked, counting the exchanges it
 * answers; it issues tokens at the gateway's clock (by default the harness's, at the test epoch).
 */
async function startAuth(clock: Clock = manualClock()) {
  const state = { revoked: false, exchanges: 0, permissions: ['memory:read'] };
  const auth = await startUpstream((request, respond) => {
    if (request.url !== '/v1/api-keys/exchange') return respond(404, '{}');
    state.exchanges += 1;
    const { apiKey } = JSON.parse(request.body) as { apiKey: string };
    if (apiKey !== goodKey || state.revoked) return respond(401, JSON.stringify({ code: 'AUTH_API_KEY_INVALID' }));
    void testAccessToken({ secret: testSecret, organisation: 'tenant-1', permissions: state.permissions, subject: 'apikey:key-1', lifetimeSeconds: 300, atMs: clock.now() }).then((accessToken) =>
      respond(200, JSON.stringify({ accessToken, tokenType: 'Bearer', expiresIn: 300 })),
    );
  });
  return { ...auth, state };
}

// Shaped as auth issues keys (`lift_sk_` and 43 base64url characters): others never reach auth.
const goodKey = 'lift_sk_ggggggggggggggggggggggggggggggggggggggggggg';
const madeUpKey = 'lift_sk_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm';
const revokedEvent = (apiKeyId: string, reason = 'revoked', atMs = testEpoch) => ({
  id: `event-${apiKeyId}-${Math.random()}`,
  type: 'lift.auth.api-key.revoked',
  source: 'auth',
  time: new Date(atMs).toISOString(),
  data: { apiKeyId, organisationId: 'tenant-1', reason },
});
const asAuth = () => bearerFor({ secret: testSecret, organisation: 'platform', permissions: ['gateway:revocations'], subject: 'svc:auth', roles: ['service'], atMs: testEpoch });

describe('API-key revocation at the gateway', () => {
  // Regression (#21, token attacks): a key revoked through the gateway still worked until auth's
  // event arrived (up to a second); the issue asks for it to be refused on the next request.
  it('refuses a key revoked through this gateway on the very next request, before any event, and only on auth\'s 204', async () => {
    const auth = await startAuth();
    const answers = new Map([['/v1/api-keys/key-1', 204], ['/v1/api-keys/key-2', 404]]);
    const authWithDelete = await startUpstream((request, respond) => {
      if (request.method === 'DELETE' && answers.has(request.url)) {
        if (request.url.endsWith('key-1')) auth.state.revoked = true;
        return respond(answers.get(request.url) as number, '');
      }
      // Everything else as the stand-in auth answers it.
      void fetch(`${auth.url}${request.url}`, { method: request.method, headers: { 'content-type': 'application/json' }, ...(request.body ? { body: request.body } : {}) }).then(async (answer) => respond(answer.status, await answer.text()));
    });
    const memory = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: authWithDelete.url, MEMORY_SERVICE_URL: memory.url });
    const withKey = { 'x-api-key': goodKey };
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    const owner = await bearerFor({ secret: testSecret, organisation: 'tenant-1', permissions: ['org:admin'], subject: 'user-1', roles: ['owner'], atMs: testEpoch });
    expect((await gateway.inject({ method: 'DELETE', url: '/auth/v1/api-keys/key-2', headers: owner })).statusCode).toBe(404);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'DELETE', url: '/auth/v1/api-keys/key-1', headers: owner })).statusCode).toBe(204);
    const refused = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey });
    expect(refused.statusCode).toBe(401);
    expect(memory.received).toHaveLength(2);
  });

  it('stops a revoked key at once when auth posts the revocation, also as a Bearer token exchanged before', async () => {
    const auth = await startAuth();
    const memory = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url });
    const withKey = { 'x-api-key': goodKey };
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    expect(auth.state.exchanges).toBe(1);
    const exchanged = await testAccessToken({ secret: testSecret, organisation: 'tenant-1', permissions: ['memory:read'], subject: 'apikey:key-1', atMs: testEpoch });

    auth.state.revoked = true;
    const delivered = await gateway.inject({ method: 'POST', url: '/v1/events/revocations', headers: await asAuth(), payload: { events: [revokedEvent('key-1')] } });
    expect(delivered.statusCode).toBe(204);
    const refused = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH_API_KEY_INVALID');
    const asBearer = await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { authorization: `Bearer ${exchanged}` } });
    expect(asBearer.statusCode).toBe(401);
    expect(memory.received).toHaveLength(2);
  });

  it('keeps a key whose creator was demoted working with what auth grants now, refusing the tokens from before', async () => {
    const clock = manualClock();
    const auth = await startAuth(clock);
    auth.state.permissions = ['memory:read', 'memory:write'];
    const memory = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url }, { clock });
    const withKey = { 'x-api-key': goodKey };
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    const before = await testAccessToken({ secret: testSecret, organisation: 'tenant-1', permissions: ['memory:read', 'memory:write'], subject: 'apikey:key-1', atMs: clock.now() });

    clock.advance(2_000);
    auth.state.permissions = ['memory:read'];
    await gateway.inject({ method: 'POST', url: '/v1/events/revocations', headers: await bearerFor({ secret: testSecret, organisation: 'platform', permissions: ['gateway:revocations'], subject: 'svc:auth', atMs: clock.now() }), payload: { events: [revokedEvent('key-1', 'creator-role-changed', clock.now())] } });
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { authorization: `Bearer ${before}` } })).statusCode).toBe(401);
    // The key itself goes on, exchanged again for a token with the narrower permissions.
    expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);
    expect(auth.state.exchanges).toBe(2);
  });

  it('takes revocations only from auth\'s service token', async () => {
    const gateway = await buildGateway({});
    const payload = { events: [revokedEvent('key-1')] };
    expect((await gateway.inject({ method: 'POST', url: '/v1/events/revocations', payload })).statusCode).toBe(401);
    const tenant = await bearerFor({ secret: testSecret, organisation: 'tenant-1', permissions: ['org:admin'], atMs: testEpoch });
    expect((await gateway.inject({ method: 'POST', url: '/v1/events/revocations', headers: tenant, payload })).statusCode).toBe(403);
    const otherService = await bearerFor({ secret: testSecret, organisation: 'platform', permissions: ['gateway:revocations'], subject: 'svc:billing', atMs: testEpoch });
    expect((await gateway.inject({ method: 'POST', url: '/v1/events/revocations', headers: otherService, payload })).statusCode).toBe(403);
  });

  it('refuses a key auth refused for a while without asking auth again', async () => {
    const auth = await startAuth();
    const memory = await startUpstream();
    const clock = manualClock();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url }, { clock });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { 'x-api-key': madeUpKey } })).statusCode).toBe(401);
    }
    expect(auth.state.exchanges).toBe(1);
    clock.advance(31_000);
    await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { 'x-api-key': madeUpKey } });
    expect(auth.state.exchanges).toBe(2);
    expect(memory.received).toHaveLength(0);
  });

  it('never asks auth about strings not shaped like a key, and counts each ask against the sign-in limit', async () => {
    const auth = await startAuth();
    const memory = await startUpstream();
    const gateway = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url, RATE_LIMIT_CREDENTIALS_PER_IP: '5' });
    for (const junk of ['x0', 'lift_sk_short', `${madeUpKey}x`, 'lift_sk_' + '!'.repeat(43)]) {
      expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { 'x-api-key': junk } })).statusCode).toBe(401);
    }
    expect(auth.state.exchanges).toBe(0);
    // Distinct well-formed keys, each asked about once: the sixth is refused before auth is asked.
    const statuses = [];
    for (let index = 0; index < 8; index += 1) {
      const key = `lift_sk_${String(index).padStart(43, 'k')}`;
      statuses.push((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: { 'x-api-key': key } })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(auth.state.exchanges).toBe(5);
  });

  it.skipIf(withoutRedis)('reaches every replica sharing Redis within a second, through the revocation stream', async () => {
    const prefix = `lift-test-revocations-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
    // Started at the wall clock: Redis stream ids are wall-clock milliseconds, and a replica
    // replays the stream's recent past measured by its own clock.
    const clock = manualClock(Date.now());
    const auth = await startAuth(clock);
    const memory = await startUpstream();
    const replicas = [];
    for (let index = 0; index < 2; index += 1) {
      const state = await openSharedState({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }, systemClock);
      replicas.push(await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url }, { state, clock }));
    }
    const withKey = { 'x-api-key': goodKey };
    for (const gateway of replicas) expect((await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode).toBe(200);

    // As auth publishes it: one batch entry on the stream.
    const publisher = await openSharedState({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }, systemClock);
    auth.state.revoked = true;
    const revokedAt = Date.now();
    await publisher.appendToStream('revocations', { events: JSON.stringify([revokedEvent('key-1', 'revoked', clock.now())]) });
    for (const gateway of replicas) {
      await expect.poll(async () => (await gateway.inject({ method: 'GET', url: '/memory/v1/items', headers: withKey })).statusCode, { timeout: 1_000, interval: 20 }).toBe(401);
    }
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    // A replica started after the revocation learns it too (from the stream's recent past): a token
    // issued for the key before is refused there as well.
    const exchangedBefore = await testAccessToken({ secret: testSecret, organisation: 'tenant-1', permissions: ['memory:read'], subject: 'apikey:key-1', atMs: clock.now() - 5_000 });
    const late = await buildGateway({ AUTH_SERVICE_URL: auth.url, MEMORY_SERVICE_URL: memory.url }, { state: await openSharedState({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }, systemClock), clock });
    await expect.poll(async () => (await late.inject({ method: 'GET', url: '/memory/v1/items', headers: { authorization: `Bearer ${exchangedBefore}` } })).statusCode, { timeout: 1_000, interval: 20 }).toBe(401);
    await publisher.close();
  });
});
