import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyServiceClientSecret, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import type { ServiceProcess } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';
import { callReplica, expectRateLimitRefusals, remainingSeen, type ReplicaAnswer } from './support/replica-answers.js';

/**
 * Faults (issue #21): the Redis two gateway replicas share stops and comes back. Documented
 * (docs/architecture/decisions.md, "Redis down: fail open per replica for traffic, closed for
 * sign-in"): while it is down each replica limits ordinary traffic on its own, so an organisation
 * gets at most N per replica — 2N across two — and sign-in is refused with 503 on both; usage
 * goes to each replica's outbox. Once it is back the replicas share one limit again, every
 * request admitted during the outage is counted by billing exactly once, and a lockout from
 * before the outage still holds (the counters live in Redis, which keeps them on disk).
 * A Redis of the test's own, never the shared one.
 */
const noPrivateRedis = skipUnless(privateRedisAvailable, 'a Redis outage across two gateway replicas', 'redis-server');

const organisationLimit = 6;
const password = 'a long enough passphrase';
/** Where the tenants registered from: known to auth for their accounts, so never held up by another address's lockout. */
const homeAddress = '198.51.100.1';
/** The address whose guesses lock the first tenant's account out (from there) before the outage. */
const guessingAddress = '192.0.2.66';

interface Tenant {
  readonly email: string;
  readonly accessToken: string;
  readonly organisationId: string;
}

describe.skipIf(noPrivateRedis)('a Redis outage across two gateway replicas', () => {
  let redis: PrivateRedis;
  let stack: PlatformStack;
  let replicas: ServiceProcess[];
  /** Writes during the outage. */
  let during: Tenant;
  /** Writes once Redis is back: an organisation nothing has counted yet, in Redis or in a replica's fallback. */
  let after: Tenant;

  const call = (replica: number, path: string, from: string, init: RequestInit = {}) => callReplica(replicas, replica, path, from, init);
  /** 4N writes of one organisation at once, alternating between the replicas, each from an address of its own: only the organisation's limit can refuse. */
  const writeBurst = (tenant: Tenant, count: number, label: string) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        call(index % 2, '/memory/v1/memories', `203.0.113.${index + 1}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.accessToken}` },
          body: JSON.stringify({ content: `${label} write ${index}` }),
        }),
      ),
    );
  const login = (replica: number, email: string, from: string, secret = password) =>
    call(replica, '/auth/v1/login', from, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: secret }) });
  // Straight from billing and memory: through the gateway the reads would be limited and metered themselves.
  const apiCallsCounted = async (tenant: Tenant) => {
    const answer = await fetch(`${stack.services.billing.url}/v1/entitlements/${tenant.organisationId}`, { headers: { authorization: `Bearer ${tenant.accessToken}` } });
    const body = (await answer.json()) as { metrics?: { metric: string; used: number }[] };
    return body.metrics?.find((metric) => metric.metric === 'api_calls')?.used ?? -1;
  };
  const memoriesStored = async (tenant: Tenant) => {
    const answer = await fetch(`${stack.services.memory.url}/v1/memories?limit=100`, { headers: { authorization: `Bearer ${tenant.accessToken}` } });
    return ((await answer.json()) as { items: unknown[] }).items.length;
  };
  const readiness = async (service: ServiceProcess) => (await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(5_000) })).status;
  const register = async (email: string): Promise<Tenant> => {
    const answer = await call(0, '/auth/v1/register', homeAddress, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(answer.status).toBe(201);
    return { email, accessToken: answer.body.accessToken as string, organisationId: answer.body.organisationId as string };
  };

  const expectOrganisationRefusals = (refused: ReplicaAnswer[]) => expectRateLimitRefusals(refused, 'organisation', organisationLimit);
  const countdown = Array.from({ length: organisationLimit }, (_, index) => index);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    stack = await startPlatformStack({
      SERVICE_CLIENT_SECRETS: everyServiceClientSecret('redis-outage'),
      REDIS_URL: redis.url,
      // An hour: no burst straddles a window edge, where the sliding estimate weighs the previous window in.
      RATE_LIMIT_WINDOW_MS: '3600000',
      RATE_LIMIT_PER_ORG: String(organisationLimit),
      RATE_LIMIT_CREDENTIALS_PER_IP: '100',
      TRUSTED_PROXIES: '127.0.0.1/32',
      // Two failures of one account from one address lock that address out, for ten minutes: longer than the test.
      LOCKOUT_MAX_FAILURES: '2',
      LOCKOUT_WAIT_INCREMENT_SECONDS: '600',
    });
    replicas = [stack.gateway, await stack.startGatewayReplica()];
    const suffix = randomBytes(4).toString('hex');
    during = await register(`during-${suffix}@outage.test`);
    after = await register(`after-${suffix}@outage.test`);
    // Each replica fetches auth's keys at its first token; warmed with a third organisation, whose
    // requests count against none of the limits tested.
    const warm = await register(`warm-${suffix}@outage.test`);
    for (const replica of [0, 1]) {
      expect((await call(replica, '/memory/v1/memories?limit=1', homeAddress, { headers: { authorization: `Bearer ${warm.accessToken}` } })).status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    redis?.remove();
  });

  it('limits each replica on its own while Redis is down, refuses sign-in, and shares the limit, the lockout and every usage event once it is back', { timeout: 180_000 }, async () => {
    // A lockout made before the outage: guesses from one address until auth holds the account there.
    const guesses: ReplicaAnswer[] = [];
    for (let attempt = 0; attempt < 6 && guesses.at(-1)?.body.code !== 'AUTH_LOGIN_LOCKED'; attempt += 1) guesses.push(await login(attempt % 2, during.email, guessingAddress, 'a wrong guess of a password'));
    expect(guesses.at(-1)?.body.code).toBe('AUTH_LOGIN_LOCKED');
    expect((await login(0, during.email, guessingAddress)).body.code).toBe('AUTH_LOGIN_LOCKED');
    expect(await apiCallsCounted(during)).toBe(0);

    redis.stop();
    // Both replicas (and auth) have seen the connection go: a request now meets the outage, not a queue.
    for (const service of [...replicas, stack.services.auth]) await expect.poll(() => readiness(service), { timeout: 20_000, interval: 100 }).toBe(503);

    const outage = await writeBurst(during, 4 * organisationLimit, 'outage');
    const signInsRefused = [await login(0, during.email, homeAddress), await login(1, during.email, homeAddress)];

    redis.start();
    for (const service of [...replicas, stack.services.auth]) await expect.poll(() => readiness(service), { timeout: 30_000, interval: 100 }).toBe(200);

    const shared = await writeBurst(after, 3 * organisationLimit, 'shared');
    const lockedStill = await login(1, during.email, guessingAddress);
    const fromHome = await login(0, during.email, homeAddress);

    const admittedBy = (answers: ReplicaAnswer[], replica: number) => answers.filter((answer) => answer.status === 201 && answer.replica === replica);
    const outageAdmitted = outage.filter((answer) => answer.status === 201);
    const sharedAdmitted = shared.filter((answer) => answer.status === 201);
    process.stdout.write(
      [
        `Redis down, limit ${organisationLimit} per organisation: ${outageAdmitted.length} of ${outage.length} admitted (${admittedBy(outage, 0).length} + ${admittedBy(outage, 1).length} by replica); sign-in ${signInsRefused.map((answer) => answer.status).join(', ')}`,
        `Redis back: ${sharedAdmitted.length} of ${shared.length} admitted (${admittedBy(shared, 0).length} + ${admittedBy(shared, 1).length} by replica); locked address ${lockedStill.status} ${String(lockedStill.body.code)}, home address ${fromHome.status}`,
      ].join('\n') + '\n',
    );

    // While Redis was down: each replica admitted exactly N on its own, counting each once; the rest 429.
    expect(outage.map((answer) => answer.status).filter((status) => status !== 201 && status !== 429)).toEqual([]);
    for (const replica of [0, 1]) expect(remainingSeen(admittedBy(outage, replica))).toEqual(countdown);
    expectOrganisationRefusals(outage.filter((answer) => answer.status === 429));
    // Sign-in failed closed on both replicas, before auth: the limit on guessing could not be counted.
    for (const answer of signInsRefused) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe('GATEWAY_RATE_LIMIT_UNAVAILABLE');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }

    // Once back: one limit across both replicas again, exactly N, each admission its own count.
    expect(shared.map((answer) => answer.status).filter((status) => status !== 201 && status !== 429)).toEqual([]);
    expect(remainingSeen(sharedAdmitted)).toEqual(countdown);
    expectOrganisationRefusals(shared.filter((answer) => answer.status === 429));
    // The lockout made before the outage outlived it; the account's owner, at home, signs in.
    expect(lockedStill.status).toBe(429);
    expect(lockedStill.body.code).toBe('AUTH_LOGIN_LOCKED');
    expect(fromHome.status).toBe(200);
    expect(fromHome.body.accessToken).toEqual(expect.any(String));

    // Only the admitted writes happened, and each reached billing exactly once: the outage's through
    // the replicas' outboxes, the later ones through Redis. Billing answers the first count it has;
    // the other organisation's later events arriving first shows the outboxes had time to deliver.
    expect(await memoriesStored(during)).toBe(2 * organisationLimit);
    expect(await memoriesStored(after)).toBe(organisationLimit);
    await expect.poll(() => apiCallsCounted(after), { timeout: 30_000, interval: 200 }).toBe(organisationLimit);
    await expect.poll(() => apiCallsCounted(during), { timeout: 30_000, interval: 200 }).toBe(2 * organisationLimit);
    process.stdout.write(`api_calls counted by billing: ${await apiCallsCounted(during)} for the outage's organisation, ${await apiCallsCounted(after)} for the later one\n`);
  });
});
