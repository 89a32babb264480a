import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyServiceClientSecret, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { plausible } from './support/fuzz-requests.js';
import { operationsOfStack, type Operation } from './support/openapi-operations.js';

/**
 * Tenant isolation (issue #21): organisation A owns one of every kind of object a tenant can
 * make; organisation B's owner then calls every route that takes an id — derived from the
 * services' OpenAPI documents, so a new route is covered without editing this test — with A's ids.
 * Nothing may succeed, nothing may say more than "not found" or "forbidden", nothing of A may
 * appear in what B can list or search, and A's objects are unchanged afterwards.
 */
let stack: PlatformStack;
const operations: Operation[] = [];
const marker = `tenant-a-secret-${Date.now().toString(36)}`;

interface Tenant {
  readonly accessToken: string;
  readonly userId: string;
  readonly organisationId: string;
}
let a: Tenant;
let b: Tenant;
/**
 * A's objects, by service and the path parameter that names them (`memory:id`): the same name
 * means different objects in different services (memory's `{id}` is a memory, observability's an
 * alert), and a memory's id sent to another service would be "not found" there without proving
 * anything.
 */
const ownedByA: Record<string, string> = {};
const objectOf = (operation: Operation, parameter: string): string | undefined => ownedByA[`${operation.service}:${parameter}`];

/**
 * Path parameters that name no tenant's object: platform-level things every tenant may read or
 * none may change (modules, plans, signing keys, services' health, the platform's alerts) — and
 * invoices, which a new organisation does not have yet. A new (service, parameter) fails the test
 * until it is placed here or in A's objects.
 */
const notTenantObjects = new Set(['registry:moduleId', 'billing:planId', 'billing:invoiceId', 'auth:kid', 'observability:service', 'observability:id']);

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const answer = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: answer.status, text: await answer.text() };
}

async function register(email: string): Promise<Tenant> {
  const answer = await fetch(`${stack.gateway.url}/auth/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a long enough passphrase', organisationName: email.split('@')[0] }) });
  return (await answer.json()) as Tenant;
}

beforeAll(async () => {
  stack = await startPlatformStack({ RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_ORG: '1000000', SERVICE_CLIENT_SECRETS: everyServiceClientSecret('isolation') });
  [a, b] = await Promise.all([register('alice@isolation.test'), register('bob@isolation.test')]);
  const memory = await call(a.accessToken, 'POST', '/memory/v1/memories', { content: `${marker}: the launch code is 0000`, tags: ['secret'] });
  const space = await call(a.accessToken, 'POST', '/memory/v1/spaces', { name: 'secret-space', dimensions: [{ name: 'risk', min: 0, max: 1 }] });
  const key = await call(a.accessToken, 'POST', '/auth/v1/api-keys', { name: `${marker}-key`, permissions: ['memory:read'] });
  const invitation = await call(a.accessToken, 'POST', `/auth/v1/organisations/${a.organisationId}/invitations`, { email: 'carol@isolation.test', role: 'member' });
  for (const made of [memory, space, key, invitation]) expect(made.status, made.text).toBe(201);
  Object.assign(ownedByA, {
    'auth:organisationId': a.organisationId,
    'billing:organisationId': a.organisationId,
    'auth:userId': a.userId,
    'memory:id': (JSON.parse(memory.text) as { id: string }).id,
    'memory:name': 'secret-space',
    'auth:apiKeyId': (JSON.parse(key.text) as { id: string }).id,
    'auth:invitationId': (JSON.parse(invitation.text) as { id: string }).id,
  });
  operations.push(...(await operationsOfStack(stack)));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('one organisation\'s objects, out of another\'s reach', () => {
  it('knows every path parameter: each names A\'s object or is declared platform-level', () => {
    const parameters = new Set(operations.flatMap((operation) => operation.pathParameters.map((name) => `${operation.service}:${name}`)));
    const unplaced = [...parameters].filter((key) => ownedByA[key] === undefined && !notTenantObjects.has(key));
    expect(unplaced).toEqual([]);
  });

  it('answers B on every route that takes one of A\'s ids with 403 or 404 (or 400 for B\'s own bad body), never a success, and without A\'s data', async () => {
    // B's token is good: B reads its own organisation (so the refusals below are about A's objects).
    expect((await call(b.accessToken, 'GET', `/auth/v1/organisations/${b.organisationId}/members`)).status).toBe(200);
    const targeted = operations.filter((operation) => operation.pathParameters.length > 0 && operation.pathParameters.every((name) => objectOf(operation, name) !== undefined));
    expect(targeted.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    for (const operation of targeted) {
      const path = `/${operation.service}${operation.pathParameters.reduce((filled, name) => filled.replace(`{${name}}`, encodeURIComponent(objectOf(operation, name) as string)), operation.template)}`;
      // A body B might well send: the schema's own shape, so that validation lets it through to the ownership check.
      const body = operation.body ? fc.sample(plausible(operation.body), { numRuns: 1, seed: 21 })[0] : operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {};
      const answer = await call(b.accessToken, operation.method, path, body);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      // 401 would say B's token failed, not that A's object is out of reach: it counts as a finding.
      const allowed = answer.status === 403 || answer.status === 404 || answer.status === 400;
      if (!allowed || answer.text.includes(marker) || answer.text.includes('alice@isolation.test')) leaks.push(`${operation.method} ${path} → ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    process.stdout.write(`tenant isolation: ${targeted.length} routes with A's ids; B's statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    expect(leaks).toEqual([]);
  });

  it('shows B nothing of A in its lists, searches and logs', async () => {
    const reads = [
      ['GET', '/memory/v1/memories'],
      ['GET', '/memory/v1/spaces'],
      ['GET', '/memory/v1/stats'],
      ['GET', '/auth/v1/api-keys'],
      ['GET', '/auth/v1/audit-events'],
      ['GET', '/auth/v1/organisations'],
      ['GET', `/auth/v1/organisations/${b.organisationId}/members`],
      ['GET', `/auth/v1/organisations/${b.organisationId}/invitations`],
      ['GET', `/billing/v1/invoices/${b.organisationId}`],
      ['GET', '/observability/v1/logs?limit=500'],
      ['GET', `/observability/v1/logs?org=${a.organisationId}`],
      ['GET', `/observability/v1/logs?q=${marker}`],
    ] as const;
    for (const [method, path] of reads) {
      const answer = await call(b.accessToken, method, path);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.text, path).not.toContain(marker);
      expect(answer.text, path).not.toContain(a.organisationId);
      expect(answer.text, path).not.toContain('alice@isolation.test');
    }
    for (const mode of ['hybrid', 'fulltext', 'neural', 'knowledge']) {
      const found = await call(b.accessToken, 'POST', '/memory/v1/search', { query: `${marker} launch code`, mode });
      expect(found.status, mode).toBe(200);
      expect(found.text, mode).not.toContain(marker);
    }
  });

  it('leaves A\'s objects as they were', async () => {
    const memory = await call(a.accessToken, 'GET', `/memory/v1/memories/${ownedByA['memory:id']}`);
    expect(memory.status).toBe(200);
    expect(memory.text).toContain(marker);
    expect((await call(a.accessToken, 'GET', `/memory/v1/spaces/${ownedByA['memory:name']}`)).status).toBe(200);
    const key = JSON.parse((await call(a.accessToken, 'GET', `/auth/v1/api-keys/${ownedByA['auth:apiKeyId']}`)).text) as { revokedAt: string | null };
    expect(key.revokedAt).toBeNull();
    const invitations = await call(a.accessToken, 'GET', `/auth/v1/organisations/${a.organisationId}/invitations`);
    expect(invitations.text).toContain(ownedByA['auth:invitationId'] as string);
    const members = JSON.parse((await call(a.accessToken, 'GET', `/auth/v1/organisations/${a.organisationId}/members`)).text) as { items: { userId: string; role: string }[] };
    expect(members.items).toEqual([expect.objectContaining({ userId: a.userId, role: 'owner' })]);
  });
});
