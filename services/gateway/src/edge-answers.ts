import { problemResponse, problemSchemaName, ProblemSchema } from '@lift/kit';
import { isCredentialRoute } from './credential-routes.js';
import { isDeclaredPublic } from './declared-public-routes.js';
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
  400: 'The Host header names a host the gateway does not serve (GATEWAY_HOST_NOT_ALLOWED), or the path could be read two ways by the servers behind (GATEWAY_AMBIGUOUS_PATH, `reason` names the shape)',
  413: 'The Content-Length is over the gateway\'s body limit (REQUEST_BODY_TOO_LARGE)',
  429: 'A rate limit is used up (GATEWAY_RATE_LIMITED); Retry-After says when the next request is admitted',
  502: 'The service broke off the exchange (GATEWAY_BAD_UPSTREAM_RESPONSE)',
  503: 'The service cannot be reached (GATEWAY_UPSTREAM_UNAVAILABLE, GATEWAY_CIRCUIT_OPEN) or, for a public route, its document is not known yet (GATEWAY_PUBLIC_ROUTES_UNKNOWN); Retry-After says when to try again',
  504: 'The service did not start answering in time (GATEWAY_UPSTREAM_TIMEOUT)',
};

/** Where the edge verifies a token (every operation not declared public), its metering hook may refuse the organisation. */
const protectedProblems: Readonly<Record<number, string>> = {
  402: 'A hard quota of the organisation\'s plan is used up for this period (GATEWAY_QUOTA_EXCEEDED, `metric` names it); Retry-After says when the period ends',
};

/**
 * Where a credential is tried — sign-in and the routes taking an X-API-Key the gateway exchanges —
 * the shared rate-limit store failing refuses the request rather than admit it unlimited.
 */
const credentialProblems: Readonly<Record<number, string>> = {
  503: 'The rate limiter for credentials is unavailable, so sign-in and API keys are refused for now (GATEWAY_RATE_LIMIT_UNAVAILABLE)',
};

type Json = Record<string, unknown>;
const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * A service's document as clients see it through the gateway (`prefix` is where the gateway
 * serves it, `/auth`): every operation also answers the edge's problems, an operation that is
 * not declared public the metering hook's, one where a credential is tried the limiter's; a
 * status the service already declares as a problem lists both reasons (one it declares in its
 * own format, OAuth's, keeps its own). Every operation that needs a bearer token takes an API
 * key instead. Applied before the merge, so the references are renamed with the rest of the
 * service's document.
 */
export function withEdgeAnswers(document: OpenApiDocument, prefix: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const copy: Json = { ...item };
    for (const method of operationMethods) {
      const operation = item[method] as Json | undefined;
      if (operation) copy[method] = edgeOperation(operation, document.security, method.toUpperCase(), `${prefix}${path}`);
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

function edgeOperation(operation: Json, documentSecurity: unknown, method: string, gatewayPath: string): Json {
  const responses = { ...(operation.responses as Json | undefined) };
  const security = (operation.security ?? documentSecurity) as Record<string, string[]>[] | undefined;
  const needsBearer = security?.some((requirement) => 'bearerAuth' in requirement && Object.keys(requirement).length === 1) ?? false;
  const isProtected = !isDeclaredPublic(operation, documentSecurity);
  // The token endpoint is sign-in when the client authenticates with HTTP Basic, which it may.
  const triesCredentials = needsBearer || isCredentialRoute(method, gatewayPath, 'Basic');
  for (const problems of [edgeProblems, ...(isProtected ? [protectedProblems] : []), ...(triesCredentials ? [credentialProblems] : [])]) {
    for (const [status, when] of Object.entries(problems)) responses[status] = withReason(responses[status], when);
  }
  return {
    ...operation,
    responses,
    ...(needsBearer && security ? { security: [...security, { [apiKeySchemeName]: [] }] } : {}),
  };
}

/** A problem response for `when`, or the declared one with `when` as another reason if it is a problem too. */
function withReason(declared: unknown, when: string): unknown {
  if (declared === undefined) return problemResponse(when);
  const response = declared as { description?: unknown; content?: Record<string, unknown> };
  if (typeof response.description !== 'string' || response.content?.['application/problem+json'] === undefined) return declared;
  return { ...response, description: `${response.description}; or ${when}` };
}
