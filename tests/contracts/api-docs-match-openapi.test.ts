import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalisedRoute, routeMentions } from '../support/api-doc-mentions.js';
import { documentedServiceNames, liveOpenApiDocument, type DocumentedServiceName } from '../support/live-openapi-documents.js';
import { operationsOf } from '../support/openapi-contract.js';
import { repositoryRoot } from '../support/service-process.js';

/**
 * docs/api/<service> pages against the documents the services serve, so neither drifts: every
 * operation is on its page, and every `METHOD /v1/…` the page names is an operation — its own
 * service's, or another's when the same table row or paragraph names that service.
 */
const pageOf: Record<DocumentedServiceName, string> = {
  gateway: 'docs/api/gateway-api.md',
  auth: 'docs/api/auth-service.md',
  billing: 'docs/api/billing-service.md',
  memory: 'docs/api/memory-service.md',
  observability: 'docs/api/observability-service.md',
  registry: 'docs/api/registry-service.md',
};

const operations = new Map<DocumentedServiceName, Set<string>>();

beforeAll(async () => {
  for (const name of documentedServiceNames) {
    operations.set(name, new Set([...operationsOf(await liveOpenApiDocument(name)).keys()].map(normalisedRoute)));
  }
});

const pageText = (name: DocumentedServiceName) => readFileSync(join(repositoryRoot, pageOf[name]), 'utf8');

describe.each(documentedServiceNames)('%s: its docs/api page and its OpenAPI document', (name) => {
  it('the page names every operation of the document', () => {
    const mentioned = new Set(routeMentions(pageText(name)).map((mention) => mention.route));
    expect([...(operations.get(name) ?? [])].filter((route) => !mentioned.has(route))).toEqual([]);
  });

  it('every /v1 route the page names exists', () => {
    expect(unknownRoutes(name, pageText(name))).toEqual([]);
  });
});

/** The `/v1/…` routes a page names that are not its service's operations, nor another's named beside them. */
function unknownRoutes(name: DocumentedServiceName, page: string): string[] {
  return routeMentions(page)
    .filter((mention) => mention.route.split(' ')[1]?.startsWith('/v1/'))
    .filter((mention) => !operations.get(name)?.has(mention.route))
    .filter((mention) => !documentedServiceNames.some((other) => other !== name && operations.get(other)?.has(mention.route) && namesService(mention.context, other)))
    .map((mention) => `${pageOf[name]}:${mention.lineNumber} ${mention.route}`);
}

/** "at observability", "the registry's": the service by name — a permission (`registry:read`) is not. */
function namesService(text: string, service: string): boolean {
  return new RegExp(`\\b${service}\\b(?!:)`, 'i').test(text);
}

describe('docs/api/errors.md', () => {
  it('names only /v1 routes some service has', () => {
    const known = new Set([...operations.values()].flatMap((routes) => [...routes]));
    const page = readFileSync(join(repositoryRoot, 'docs/api/errors.md'), 'utf8');
    const unknown = routeMentions(page).filter((mention) => mention.route.split(' ')[1]?.startsWith('/v1/') && !known.has(mention.route));
    expect(unknown.map((mention) => `docs/api/errors.md:${mention.lineNumber} ${mention.route}`)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('would notice a route no service has, and another service\'s route not named as its', () => {
    const page = [
      '| `GET /v1/modules/{id}` | registry:read | one module |',
      '| `POST /v1/modules/{id}/archive` | registry:admin | no such route |',
      '| `POST /v1/logs` | — | observability\'s route, said so on this row |',
      '| `GET /v1/plans` | `billing:read` | a plan route, its service not named |',
      '',
      'A paragraph naming the `GET /v1/prometheus/targets` route',
      'of the registry.',
    ].join('\n');
    expect(unknownRoutes('registry', page)).toEqual(['docs/api/registry-service.md:2 POST /v1/modules/{}/archive', 'docs/api/registry-service.md:4 GET /v1/plans']);
    expect(unknownRoutes('auth', page)).toEqual([
      'docs/api/auth-service.md:1 GET /v1/modules/{}',
      'docs/api/auth-service.md:2 POST /v1/modules/{}/archive',
      'docs/api/auth-service.md:4 GET /v1/plans',
    ]);
  });
});
