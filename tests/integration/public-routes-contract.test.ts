import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { rawRequest, type RawAnswer } from '../support/raw-request.js';

/**
 * Issue #10 item 15, as a contract between the services and the edge: every operation a service's
 * own /openapi.json declares public (`security: []`) is reachable through the gateway without a
 * token, and no other operation is — the gateway refuses those itself, without calling the
 * service. The kit's fixed probe set is public on every service by the gateway's built-in rule as
 * well: GET /health and /ready (documented, with `security: []` since issue #11) and
 * /openapi.json and /docs (kept out of the documents). Stripe is configured so that billing's
 * webhook exists (nothing leaves the machine: its API address is a closed local port).
 */
let stack: PlatformStack;
beforeAll(async () => {
  stack = await startPlatformStack({ STRIPE_API_KEY: 'sk_test_contract', STRIPE_WEBHOOK_SECRET: 'whsec_contract', STRIPE_API_BASE: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  await stack?.stop();
});

interface Operation {
  readonly service: (typeof coreServiceNames)[number];
  readonly method: string;
  readonly template: string;
  /** `security: []` in the service's document. */
  readonly declaredPublic: boolean;
  /** Reachable without a token: declared public, or one of the kit's probes. */
  readonly isPublic: boolean;
}

const kitProbes = new Set(['/health', '/ready']);

const methods = ['get', 'put', 'post', 'delete', 'patch'];

async function operationsOf(service: (typeof coreServiceNames)[number]): Promise<Operation[]> {
  const document = (await (await fetch(`${stack.services[service].url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>>; security?: unknown[] };
  return Object.entries(document.paths).flatMap(([template, item]) =>
    methods
      .filter((method) => item[method] !== undefined)
      .map((method) => {
        const security = item[method]?.security ?? document.security;
        const declaredPublic = Array.isArray(security) && (security.length === 0 || security.some((requirement) => Object.keys(requirement as object).length === 0));
        return { service, method: method.toUpperCase(), template, declaredPublic, isPublic: declaredPublic || (method === 'get' && kitProbes.has(template)) };
      }),
  );
}

/** One concrete path per template: each parameter one segment. */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, 'contract-test');

function send(origin: string, operation: Pick<Operation, 'method'>, path: string): Promise<RawAnswer> {
  const hasBody = operation.method !== 'GET' && operation.method !== 'DELETE';
  return rawRequest(origin, { method: operation.method, path, ...(hasBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
}

/** Requests the gateway sent to a service so far (its own upstream metric). */
async function forwardedTo(service: string): Promise<number> {
  const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
  const pattern = new RegExp(`^gateway_upstream_requests_total\\{[^}]*upstream="${service}"[^}]*\\} (\\d+)`, 'gm');
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('the public routes the services declare are exactly the gateway\'s', () => {
  it('declares auth\'s sign-in routes, billing\'s Stripe webhook, observability\'s status page and the kit\'s probes public', async () => {
    const declared = (await Promise.all(coreServiceNames.map(operationsOf))).flat().filter((operation) => operation.declaredPublic);
    expect(declared.map((operation) => `${operation.method} /${operation.service}${operation.template}`).sort()).toEqual(
      [
        ...coreServiceNames.flatMap((name) => [`GET /${name}/health`, `GET /${name}/ready`]),
        'GET /auth/.well-known/jwks.json',
        'GET /auth/.well-known/oauth-authorization-server',
        'POST /auth/v1/api-keys/exchange',
        'POST /auth/v1/email-verification/confirm',
        'POST /auth/v1/login',
        'POST /auth/v1/logout',
        'POST /auth/v1/oauth/token',
        'POST /auth/v1/password-reset',
        'POST /auth/v1/password-reset/confirm',
        'POST /auth/v1/register',
        'POST /auth/v1/register/confirm',
        'POST /auth/v1/token/logout',
        'POST /auth/v1/token/refresh',
        'POST /auth/v1/verify',
        'POST /billing/v1/webhooks/stripe',
        'GET /observability/v1/status',
      ].sort(),
    );
    // And the walk below has something to walk: the services with resources document them.
    for (const service of ['auth', 'billing', 'registry', 'observability'] as const) expect((await operationsOf(service)).filter((operation) => !operation.isPublic).length, service).toBeGreaterThan(3);
  });

  it.each(coreServiceNames)('lets every operation %s declares public through without a token, answered by the service itself', async (service) => {
    for (const operation of (await operationsOf(service)).filter((candidate) => candidate.isPublic)) {
      const path = concrete(operation.template);
      const direct = await send(stack.services[service].url, operation, path);
      const through = await send(stack.gateway.url, operation, `/${service}${path}`);
      expect({ operation: `${operation.method} ${path}`, status: through.status }).toEqual({ operation: `${operation.method} ${path}`, status: direct.status });
      expect(through.body).not.toContain('AUTH_TOKEN_MISSING');
    }
  });

  it.each(coreServiceNames)('refuses every other operation of %s without a token, at the edge', async (service) => {
    const forwardedBefore = await forwardedTo(service);
    const protectedOperations = (await operationsOf(service)).filter((operation) => !operation.isPublic);
    for (const operation of protectedOperations) {
      const answer = await send(stack.gateway.url, operation, `/${service}${concrete(operation.template)}`);
      expect({ operation: `${operation.method} ${operation.template}`, status: answer.status }).toEqual({ operation: `${operation.method} ${operation.template}`, status: 401 });
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'AUTH_TOKEN_MISSING' });
    }
    // The kit's routes the documents leave out: its document and docs page are public; its metrics
    // are no route at the edge at all, for anyone (Prometheus reads them from the service).
    for (const path of ['/openapi.json', '/docs']) expect((await send(stack.gateway.url, { method: 'GET' }, `/${service}${path}`)).status, path).toBe(200);
    expect((await send(stack.gateway.url, { method: 'GET' }, `/${service}/metrics`)).status).toBe(404);
    // Nothing but those two reached the service.
    expect(await forwardedTo(service)).toBe(forwardedBefore + 2);
  });
});
