import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/backend.js';
import { everyServiceClientSecret, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import type { ServiceProcess } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { testSchemaName } from '../support/test-schema.js';
import { callReplica, expectRateLimitRefusals, remainingSeen, type ReplicaAnswer } from './support/replica-answers.js';

/**
 * Load (issue #21): "N allowed means N" — two gateway replicas on one Redis, behind what they
 * take for a load balancer (loopback is a trusted proxy, so X-Forwarded-For names the client),
 * share every limit exactly. A parallel burst of 3N requests, alternating between the replicas,
 * admits exactly N: for one organisation, for one client address, and for sign-in from one
 * address. The rest are 429 problem+json with Retry-After, and never reach the service.
 */
const noRedis = skipUnless(testRedisUrl !== undefined, 'rate limits across two gateway replicas', 'TEST_REDIS_URL');

const organisationLimit = 10;
const addressLimit = 10;
const signInLimit = 5;
const password = 'a long enough passphrase';

describe.skipIf(noRedis)('rate limits across two gateway replicas on one Redis', () => {
  let stack: PlatformStack;
  let replicas: ServiceProcess[];
  const email = `limits-${randomBytes(4).toString('hex')}@replicas.test`;
  let session: { accessToken: string; organisationId: string };

  /** Every request at once, the i-th to replica i mod 2, each from the address `from(i)` says. */
  const burst = (count: number, from: (index: number) => string, path: string, init: RequestInit = {}): Promise<ReplicaAnswer[]> =>
    Promise.all(Array.from({ length: count }, (_, index) => callReplica(replicas, index % 2, path, from(index), init)));

  /** Each admitted request saw its own count in Redis: RateLimit-Remaining N-1 … 0, each once. */
  const expectOneCountEach = (admitted: ReplicaAnswer[], limit: number) => expect(remainingSeen(admitted)).toEqual(Array.from({ length: limit }, (_, index) => index));

  beforeAll(async () => {
    stack = await startPlatformStack({
      SERVICE_CLIENT_SECRETS: everyServiceClientSecret('rate-limits'),
      REDIS_URL: testRedisUrl as string,
      REDIS_KEY_PREFIX: `${testSchemaName('limits')}:`,
      // An hour: a burst never straddles a window edge, so the sliding estimate cannot blur the count.
      RATE_LIMIT_WINDOW_MS: '3600000',
      RATE_LIMIT_PER_ORG: String(organisationLimit),
      RATE_LIMIT_PER_IP: String(addressLimit),
      RATE_LIMIT_CREDENTIALS_PER_IP: String(signInLimit),
      TRUSTED_PROXIES: '127.0.0.1/32',
    });
    replicas = [stack.gateway, await stack.startGatewayReplica()];
    const registered = await fetch(`${stack.gateway.url}/auth/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1' },
      body: JSON.stringify({ email, password }),
    });
    expect(registered.status).toBe(201);
    session = (await registered.json()) as { accessToken: string; organisationId: string };
    // A first token makes a replica fetch auth's keys; until both have, one replica's share of a
    // burst waits while the other's takes the whole limit, and the two never race. Warmed up with
    // another organisation, whose requests count against none of the limits tested.
    const other = await fetch(`${stack.gateway.url}/auth/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' },
      body: JSON.stringify({ email: `other-${email}`, password }),
    });
    const { accessToken } = (await other.json()) as { accessToken: string };
    for (const [index, replica] of replicas.entries()) {
      const warm = await fetch(`${replica.url}/memory/v1/memories?limit=1`, { headers: { authorization: `Bearer ${accessToken}`, 'x-forwarded-for': `198.51.100.${10 + index}` } });
      expect(warm.status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('admits exactly N writes of one organisation, whichever replica each reaches', async () => {
    // Each request from its own client, so only the organisation's limit can refuse.
    const answers = await burst(3 * organisationLimit, (index) => `203.0.113.${index + 1}`, '/memory/v1/memories', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ content: 'one write of the burst' }),
    });
    const admitted = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 429);
    process.stdout.write(`organisation limit ${organisationLimit}: ${admitted.length} admitted (${admitted.filter((a) => a.replica === 0).length} + ${admitted.filter((a) => a.replica === 1).length} by replica), ${refused.length} refused\n`);
    expect(answers.map((answer) => answer.status).filter((status) => status !== 201 && status !== 429)).toEqual([]);
    expect(admitted).toHaveLength(organisationLimit);
    expectRateLimitRefusals(refused, 'organisation', organisationLimit);
    expectOneCountEach(admitted, organisationLimit);
    // Asked of memory itself (through the gateway it would be refused too): only the admitted writes happened.
    const stored = await fetch(`${stack.services.memory.url}/v1/memories?limit=100`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(((await stored.json()) as { items: unknown[] }).items).toHaveLength(organisationLimit);
  });

  it('admits exactly N requests from one client address, whichever replica each reaches', async () => {
    const answers = await burst(3 * addressLimit, () => '203.0.113.200', '/auth/.well-known/jwks.json');
    const admitted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    process.stdout.write(`address limit ${addressLimit}: ${admitted.length} admitted, ${refused.length} refused\n`);
    expect(answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(admitted).toHaveLength(addressLimit);
    expectRateLimitRefusals(refused, 'per address', addressLimit);
    expectOneCountEach(admitted, addressLimit);
  });

  it('admits exactly N sign-ins from one address, whichever replica each reaches', async () => {
    const answers = await burst(3 * signInLimit, () => '192.0.2.50', '/auth/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const admitted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    process.stdout.write(`sign-in limit ${signInLimit}: ${admitted.length} admitted, ${refused.length} refused\n`);
    expect(answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(admitted).toHaveLength(signInLimit);
    // Each admitted sign-in is a real session, so a refused one is the limit and not a wrong password.
    for (const answer of admitted) expect(answer.body.accessToken).toEqual(expect.any(String));
    expectRateLimitRefusals(refused, 'sign-in per address', signInLimit);
    expectOneCountEach(admitted, signInLimit);
  });

  it('refuses a key revoked through one replica on the other within a second (the revocations stream)', async () => {
    // A tenant of its own: the organisation limit above is used up for the first one. Every request
    // from an address of its own, so only the revocation can refuse; fewer than 10 in all.
    let address = 0;
    const from = () => `198.51.100.${100 + (address += 1)}`;
    const owner = await callReplica(replicas, 0, '/auth/v1/register', from(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `keys-${email}`, password }) });
    expect(owner.status).toBe(201);
    const bearer = { authorization: `Bearer ${owner.body.accessToken as string}` };
    const key = await callReplica(replicas, 0, '/auth/v1/api-keys', from(), { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'revoked on one replica', permissions: ['memory:read'] }) });
    expect(key.status).toBe(201);
    const withKey = (replica: number) => callReplica(replicas, replica, '/memory/v1/memories?limit=1', from(), { headers: { 'x-api-key': key.body.key as string } });
    // Both replicas have exchanged the key and hold its token.
    expect([(await withKey(0)).status, (await withKey(1)).status]).toEqual([200, 200]);
    expect((await callReplica(replicas, 0, `/auth/v1/api-keys/${key.body.id as string}`, from(), { method: 'DELETE', headers: bearer })).status).toBe(204);
    await expect.poll(async () => (await withKey(1)).status, { timeout: 1_000, interval: 200 }).toBe(401);
  });
});
