import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyServiceClientSecret, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { rawRequest, type RawAnswer } from '../support/raw-request.js';
import { answerProblems } from './support/answer-hygiene.js';
import { fuzzRequests, type FuzzRequest } from './support/fuzz-requests.js';
import { operationsOfStack, type Operation } from './support/openapi-operations.js';

/**
 * Schema-driven fuzzing (issue #21): every route of every service's OpenAPI document gets seeded,
 * generated requests — fields of the wrong kind, missing and extra fields, huge and deeply nested
 * values, hostile strings in path, query and body, bad JSON, wrong content types — sent through
 * the real gateway and straight to the service, as the platform admin (whose permissions reach the
 * most handlers). No answer may be a 5xx, show a stack trace, a source path or database text, or
 * be an error outside problem+json (where no standard sets the format).
 *
 * FUZZ_RUNS (requests per route, through the gateway or directly, default 20) and FUZZ_SEED (default fixed, so a failure
 * reproduces; the failure message names it) set the run; `FUZZ_RUNS=300 npx vitest run
 * tests/security/schema-fuzz.test.ts` is the long run by hand.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 20);
const seed = Number(process.env.FUZZ_SEED ?? 20_261_201);
const admin = { email: 'fuzz-admin@lift.test', password: 'fuzzing the platform, patiently' };

let stack: PlatformStack;
let token = '';
const operations: Operation[] = [];
/**
 * Ids of objects that exist, by path parameter name: a share of the requests names one of them,
 * so hostile queries and bodies reach the code past the lookup. Not the admin's own user (a
 * fuzzed role change or removal would end the run's permissions); its organisation only for
 * reading and changing, not for DELETE.
 */
const existing: Record<string, string[]> = {};
const existingFor = (operation: Operation) => (operation.method === 'DELETE' ? { ...existing, organisationId: [] } : existing);
/** Requests sent per route (both ways in), and the statuses answered: the figures in docs/architecture/reliability.md. */
const sent = new Map<string, number>();
const statuses = new Map<number, number>();
/** Successes per service: proof that the requests reached the handlers, not just the token check. */
const succeeded = new Map<string, number>();

beforeAll(async () => {
  stack = await startPlatformStack({
    LIFT_ADMIN_EMAIL: admin.email,
    LIFT_ADMIN_PASSWORD: admin.password,
    // Billing asks auth about organisations, the gateway meters usage: as in a real installation.
    SERVICE_CLIENT_SECRETS: everyServiceClientSecret('fuzzing'),
    // One client address sends thousands of requests: the limits would answer 429 to most of them.
    RATE_LIMIT_PER_IP: '10000000',
    RATE_LIMIT_PER_ORG: '10000000',
    RATE_LIMIT_CREDENTIALS_PER_IP: '10000000',
    LOCKOUT_MAX_FAILURES_PER_IP: '10000000',
    MODULE_URL_ALLOWED_NETWORKS: '127.0.0.0/8',
  });
  const login = await fetch(`${stack.gateway.url}/auth/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  expect(login.status).toBe(200);
  const session = (await login.json()) as { accessToken: string; organisationId: string };
  token = session.accessToken;
  await makeExistingObjects(session.organisationId);
  // Streams never end by themselves; the console suite and observability's own tests cover them.
  operations.push(...(await operationsOfStack(stack)));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** One object of each kind the admin can make, through the gateway, their ids kept in `existing`. */
async function makeExistingObjects(organisationId: string): Promise<void> {
  const make = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const answer = await fetch(`${stack.gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(answer.status, `${path}: ${await answer.clone().text()}`).toBe(201);
    return (await answer.json()) as Record<string, unknown>;
  };
  const memory = await make('/memory/v1/memories', { content: 'a memory the fuzzer may find' });
  await make('/memory/v1/spaces', { name: 'fuzzed-space', dimensions: [{ name: 'risk', min: 0, max: 1 }] });
  const key = await make('/auth/v1/api-keys', { name: 'fuzzed key', permissions: ['memory:read'] });
  const invitation = await make(`/auth/v1/organisations/${organisationId}/invitations`, { email: 'invited@fuzz.test', role: 'member' });
  await make('/registry/v1/modules', { moduleId: 'fuzzed-module', name: 'Fuzzed module', version: '1.0.0', baseUrl: 'http://127.0.0.1:9', permissions: ['fuzzed-module:read', 'fuzzed-module:write'] });
  Object.assign(existing, {
    organisationId: [organisationId],
    id: [memory.id as string],
    name: ['fuzzed-space'],
    apiKeyId: [key.id as string],
    invitationId: [invitation.id as string],
    moduleId: ['fuzzed-module'],
    planId: ['free', 'pro'],
    service: ['auth', 'memory'],
  });
}

function send(origin: string, request: FuzzRequest): Promise<RawAnswer> {
  return rawRequest(origin, {
    method: request.method,
    path: request.path,
    headers: { authorization: `Bearer ${token}`, ...(request.contentType ? { 'content-type': request.contentType } : {}) },
    ...(request.body !== undefined ? { body: request.body } : {}),
    timeoutMs: 30_000,
  });
}

describe('every route, fuzzed from its OpenAPI document', () => {
  it('found the routes of all five services behind the gateway', () => {
    const services = new Set(operations.map((operation) => operation.service));
    expect([...services].sort()).toEqual(['auth', 'billing', 'memory', 'observability', 'registry']);
    expect(operations.length).toBeGreaterThan(80);
  });

  it(`answers ${runs} seeded hostile requests per route, through the gateway and directly, with a 4xx problem or a success, never a 5xx or a leak (seed ${seed})`, async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      const route = `${operation.method} /${operation.service}${operation.template}`;
      const failuresBefore = failures.length;
      await fc.assert(
        fc.asyncProperty(fuzzRequests(operation, existingFor(operation)), fc.boolean(), async (request, throughGateway) => {
          const origin = throughGateway ? stack.gateway.url : stack.services[operation.service as keyof PlatformStack['services']].url;
          const path = throughGateway ? `/${operation.service}${request.path}` : request.path;
          sent.set(route, (sent.get(route) ?? 0) + 1);
          let answer: RawAnswer;
          try {
            answer = await send(origin, { ...request, path });
          } catch (error) {
            failures.push(`${route} via ${throughGateway ? 'gateway' : 'service'}: no answer (${(error as Error).message}) — ${request.method} ${path.slice(0, 200)}`);
            return false;
          }
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status < 300) succeeded.set(operation.service, (succeeded.get(operation.service) ?? 0) + 1);
          const problems = answerProblems(path, answer);
          if (problems.length > 0) failures.push(`${route} via ${throughGateway ? 'gateway' : 'service'}: ${problems.join('; ')} — ${request.method} ${path.slice(0, 200)} ${request.contentType ?? ''} ${String(request.body).slice(0, 200)} → ${answer.body.slice(0, 200)}`);
          return problems.length === 0;
        }),
        { numRuns: runs, seed, endOnFailure: true },
      ).catch((error: unknown) => {
        // A failed property is already listed; anything else (a generator that cannot be built
        // from the schema) must not pass for a route that was fuzzed.
        if (failures.length === failuresBefore) failures.push(`${route}: not fuzzed: ${String((error as Error).message).slice(0, 400)}`);
      });
    }
    const total = [...sent.values()].reduce((sum, count) => sum + count, 0);
    process.stdout.write(`schema fuzzing (seed ${seed}): ${total} requests over ${operations.length} routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`);
    expect(failures, `seed ${seed}`).toEqual([]);
    for (const service of ['auth', 'billing', 'memory', 'observability', 'registry']) expect(succeeded.get(service) ?? 0, `${service}: no fuzzed request succeeded`).toBeGreaterThan(0);
    expect([...sent.values()].reduce((total, count) => total + count, 0)).toBeGreaterThanOrEqual(operations.length * runs);
  }, 600_000);
});
