import { problemResponse, problemSchemaName, ProblemSchema } from '@lift/kit';
import type { OpenApiDocument } from './openapi-merge.js';

/** The scheme of `X-API-Key`, which only the gateway takes: it exchanges the key for an access token. */
export const apiKeySchemeName = 'apiKeyAuth';
const apiKeyScheme = {
  type: 'apiKey',
  in: 'header',
  name: 'X-API-Key',
  description: 'An API key (lift_sk_…); the gateway exchanges it at auth for an access token, which is what the service receives',
};

/** What the edge answers on any forwarded request, whatever the service would have said. */
const edgeProblems: Readonly<Record<number, string>> = {
  400: 'The path could be read two ways by the servers behind (GATEWAY_AMBIGUOUS_PATH, `reason` names the shape)',
  429: 'A rate limit is used up (GATEWAY_RATE_LIMITED); Retry-After says when the next request is admitted',
  502: 'The service broke off the exchange (GATEWAY_BAD_UPSTREAM_RESPONSE)',
  503: 'The service cannot be reached (GATEWAY_UPSTREAM_UNAVAILABLE, GATEWAY_CIRCUIT_OPEN) or, for a public route, its document is not known yet (GATEWAY_PUBLIC_ROUTES_UNKNOWN); Retry-After says when to try again',
  504: 'The service did not start answering in time (GATEWAY_UPSTREAM_TIMEOUT)',
};

type Json = Record<string, unknown>;
const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * A service's document as clients see it through the gateway: every operation also answers the
 * edge's problems (a status the service already declares keeps the service's description), and
 * every operation that needs a bearer token takes an API key instead. Applied before the merge,
 * so the references are renamed with the rest of the service's document.
 */
export function withEdgeAnswers(document: OpenApiDocument): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const copy: Json = { ...item };
    for (const method of operationMethods) {
      const operation = item[method] as Json | undefined;
      if (operation) copy[method] = edgeOperation(operation, document.security);
    }
    paths[path] = copy;
  }
  const components = document.components ?? {};
  return {
    ...document,
    paths,
    components: {
      ...components,
      schemas: { [problemSchemaName]: JSON.parse(JSON.stringify(ProblemSchema)) as Json, ...components.schemas },
      securitySchemes: { ...components.securitySchemes, [apiKeySchemeName]: apiKeyScheme },
    },
  };
}

function edgeOperation(operation: Json, documentSecurity: unknown): Json {
  const responses = { ...(operation.responses as Json | undefined) };
  for (const [status, when] of Object.entries(edgeProblems)) responses[status] ??= problemResponse(when);
  const security = (operation.security ?? documentSecurity) as Record<string, string[]>[] | undefined;
  const needsBearer = security?.some((requirement) => 'bearerAuth' in requirement && Object.keys(requirement).length === 1) ?? false;
  return {
    ...operation,
    responses,
    ...(needsBearer && security ? { security: [...security, { [apiKeySchemeName]: [] }] } : {}),
  };
}
