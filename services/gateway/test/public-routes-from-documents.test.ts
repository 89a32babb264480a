import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/openapi-merge.js';
import { buildGateway, manualClock, serviceDocument, signedIn, startUpstream } from './helper.js';

/** A stand-in service whose /openapi.json the test controls (and sees fetched). */
async function documentedService(initial: OpenApiDocument | undefined) {
  let document = initial;
  const upstream = await startUpstream((request, respond) => {
    if (request.url !== '/openapi.json') return respond(200, '{"ok":true}');
    return document ? respond(200, JSON.stringify(document)) : respond(503, '{"status":503}');
  });
  return {
    url: upstream.url,
    documentFetches: () => upstream.received.filter((request) => request.url === '/openapi.json').length,
    forwarded: () => upstream.received.filter((request) => request.url !== '/openapi.json').map((request) => `${request.method} ${request.url}`),
    serve: (next: OpenApiDocument | undefined) => void (document = next),
  };
}

// Nothing listens on port 9: the services a test does not use are simply unreachable.
const unused = { AUTH_SERVICE_URL: 'http://127.0.0.1:9', MEMORY_SERVICE_URL: 'http://127.0.0.1:9', REGISTRY_SERVICE_URL: 'http://127.0.0.1:9', OBSERVABILITY_SERVICE_URL: 'http://127.0.0.1:9' };

describe('the public routes come from the services\' OpenAPI documents', () => {
  it('lets Stripe reach the webhook billing declares public (security: []), and nothing billing does not', async () => {
    const billing = await documentedService(serviceDocument(['POST /v1/webhooks/stripe'], ['GET /v1/plans', 'POST /v1/webhooks/other']));
    const gateway = await buildGateway({ ...unused, BILLING_SERVICE_URL: billing.url });
    const webhook = await gateway.inject({ method: 'POST', url: '/billing/v1/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' }, payload: '{}' });
    expect(webhook.statusCode).toBe(200);
    for (const [method, url] of [['POST', '/billing/v1/webhooks/other'], ['GET', '/billing/v1/plans'], ['GET', '/billing/v1/webhooks/stripe'], ['POST', '/billing/v1/webhooks/stripe/']] as const) {
      const refused = await gateway.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(refused.statusCode, `${method} ${url}`).toBe(401);
    }
    // A service's own metrics are no route at the edge, token or not (see edge-routing.test.ts).
    expect((await gateway.inject({ method: 'GET', url: '/billing/metrics' })).statusCode).toBe(404);
    expect(billing.forwarded()).toEqual(['POST /v1/webhooks/stripe']);
  });

  it('matches a templated path segment for segment, and lets HEAD through where GET is public', async () => {
    const billing = await documentedService(serviceDocument(['GET /v1/invoices/{invoiceId}/pdf']));
    const gateway = await buildGateway({ ...unused, BILLING_SERVICE_URL: billing.url });
    const status = async (method: 'GET' | 'HEAD' | 'POST', url: string) => (await gateway.inject({ method, url })).statusCode;
    expect(await status('GET', '/billing/v1/invoices/in_42/pdf')).toBe(200);
    expect(await status('HEAD', '/billing/v1/invoices/in_42/pdf')).toBe(200);
    expect(await status('POST', '/billing/v1/invoices/in_42/pdf')).toBe(401);
    expect(await status('GET', '/billing/v1/invoices/in_42/more/pdf')).toBe(401);
    expect(await status('GET', '/billing/v1/invoices//pdf')).toBe(401);
    expect(await status('GET', '/billing/v1/invoices/pdf')).toBe(401);
  });

  it('knows the kit\'s probes and docs on every service without asking for its document', async () => {
    const billing = await documentedService(undefined);
    const gateway = await buildGateway({ ...unused, BILLING_SERVICE_URL: billing.url });
    for (const url of ['/billing/health', '/billing/ready', '/billing/docs', '/billing/docs/json', '/billing/docs/static/index.html']) {
      expect((await gateway.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    expect(billing.documentFetches()).toBe(0);
  });

  it('fails closed until a service\'s document is known, and admits sign-in as soon as auth serves it', async () => {
    const clock = manualClock();
    const auth = await documentedService(undefined);
    const gateway = await buildGateway({ ...unused, AUTH_SERVICE_URL: auth.url }, { clock });
    const login = () => gateway.inject({ method: 'POST', url: '/auth/v1/login', payload: {} });
    const early = await login();
    expect(early.statusCode).toBe(503);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.json()).toMatchObject({ code: 'GATEWAY_PUBLIC_ROUTES_UNKNOWN', service: 'auth' });
    // A caller with a token is simply verified meanwhile.
    expect((await gateway.inject({ method: 'GET', url: '/auth/v1/me', headers: await signedIn() })).statusCode).toBe(200);
    expect(auth.forwarded()).toEqual(['GET /v1/me']);

    auth.serve(serviceDocument(['POST /v1/login']));
    // One fetch per second at most while the document cannot be had.
    expect((await login()).statusCode).toBe(503);
    const fetchesSoFar = auth.documentFetches();
    clock.advance(1_000);
    expect((await login()).statusCode).toBe(200);
    expect(auth.documentFetches()).toBe(fetchesSoFar + 1);
    expect((await gateway.inject({ method: 'POST', url: '/auth/v1/api-keys', payload: {} })).statusCode).toBe(401);
  });

  it('fetches every document when it starts listening, and follows a service\'s changes at most a minute later', async () => {
    const clock = manualClock();
    const billing = await documentedService(serviceDocument([], ['GET /v1/plans']));
    const gateway = await buildGateway({ ...unused, BILLING_SERVICE_URL: billing.url }, { clock });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    await expect.poll(() => billing.documentFetches()).toBe(1);
    const plans = () => gateway.inject({ method: 'GET', url: '/billing/v1/plans' });
    expect((await plans()).statusCode).toBe(401);

    billing.serve(serviceDocument(['GET /v1/plans']));
    clock.advance(59_000);
    expect((await plans()).statusCode).toBe(401);
    expect(billing.documentFetches()).toBe(1);
    clock.advance(1_000);
    // Traffic renews the documents in the background; the request that notices does not wait.
    await plans();
    await expect.poll(async () => (await plans()).statusCode).toBe(200);
    expect(billing.documentFetches()).toBe(2);
  });
});
