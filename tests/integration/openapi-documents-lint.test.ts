import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiLintFindings } from '../support/openapi-lint.js';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';

type Document = { paths: Record<string, Record<string, { operationId?: string }>>; 'x-lift-sources'?: Record<string, string> };

// The real services, with Stripe configured (to a closed port) so billing's webhook route is documented too.
let stack: PlatformStack;
beforeAll(async () => {
  stack = await startPlatformStack({ STRIPE_API_KEY: 'sk_test_lint', STRIPE_WEBHOOK_SECRET: 'whsec_lint', STRIPE_API_BASE: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  await stack?.stop();
});

async function documentOf(url: string): Promise<Document> {
  const answer = await fetch(`${url}/openapi.json`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as Document;
}

function operationIds(document: Document): (string | undefined)[] {
  return Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
}

describe('every API document passes Redocly\'s recommended rules', () => {
  it.each(coreServiceNames)('%s: its own document, with a camelCase operationId on every operation', async (name) => {
    const document = await documentOf(stack.services[name].url);
    expect(await openApiLintFindings(document, name)).toEqual([]);
    for (const id of operationIds(document)) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('the gateway: the whole platform merged, every operationId namespaced by its service', async () => {
    const document = await documentOf(stack.gateway.url);
    expect(document['x-lift-sources']).toEqual(Object.fromEntries(coreServiceNames.map((name) => [name, 'current'])));
    expect(await openApiLintFindings(document, 'gateway')).toEqual([]);
    const ids = operationIds(document);
    for (const id of ids) expect(id).toMatch(/^(gateway|auth|billing|memory|observability|registry)\.[a-z][a-zA-Z0-9]*$/);
    expect(ids).toEqual(expect.arrayContaining(['auth.createOrganisation', 'billing.getEntitlements', 'gateway.getPlatformHealth', 'memory.searchMemories', 'memory.createMemories', 'memory.eraseContext']));
  });
});
