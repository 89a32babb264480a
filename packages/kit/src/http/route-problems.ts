import type { FastifySchema, RouteOptions } from 'fastify';
import { requiredPermissionOf } from '../auth/auth-plugin.js';

/** Problem answers by HTTP status, each with when it happens (the OpenAPI response's description). */
export type RouteProblems = Readonly<Record<number, string>>;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The problems this route's own code answers (a 404 for an unknown id, a 409 for a duplicate),
     * each with when and its codes. Those of validation, tokens and permissions are added by the
     * kit (`problemsOf`); where both give a status, the document lists both reasons. A route that
     * parses its body itself (a content-type parser of its own) declares its own 415, and with it
     * whatever that parser refuses: the kit then adds none of its body parser's problems.
     */
    problems?: RouteProblems;
  }
}

const inputParts = ['body', 'querystring', 'params', 'headers'] as const;
/** The methods whose bodies Fastify never reads (its `bodyless` set); it parses a body on every other. */
const methodsWithoutBody: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * Every problem a route can answer, for its OpenAPI document: what the kit's own machinery
 * refuses on it — derived from its method, schema and preHandlers, so only what it can really
 * answer — and what its schema declares in `problems`. Fastify parses the body of every method
 * that may carry one, with or without a body schema, so the parser's refusals (a body that is not
 * JSON, too large, or of another content type) follow the method. Undefined for a route with its
 * own error handler, which answers in its own format (auth's OAuth token endpoint) and declares
 * its responses itself.
 */
export function problemsOf(route: Pick<RouteOptions, 'errorHandler' | 'preHandler'>, schema: FastifySchema, method: string): RouteProblems | undefined {
  if (route.errorHandler) return undefined;
  const problems: Record<number, string> = {};
  const parsesBody = !methodsWithoutBody.has(method.toUpperCase()) && schema.problems?.[415] === undefined;
  const validated = inputParts.some((part) => schema[part] !== undefined);
  const invalid = schema.body
    ? 'A field is missing, unknown or invalid (REQUEST_VALIDATION_FAILED, `errors` names each)'
    : validated
      ? 'A parameter is missing or invalid (REQUEST_VALIDATION_FAILED, `errors` names each)'
      : undefined;
  if (parsesBody) problems[400] = invalid ? `${invalid}, or the body is not JSON (REQUEST_MALFORMED_BODY)` : 'The body is not JSON (REQUEST_MALFORMED_BODY)';
  else if (invalid) problems[400] = invalid;
  if (needsCredentials(schema.security)) problems[401] = 'No access token, or one that is invalid or expired (AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED)';
  const permissions = preHandlersOf(route).flatMap((handler) => requiredPermissionOf(handler) ?? []);
  if (permissions.length > 0) problems[403] = `The token does not carry the permission ${permissions.join(' and ')} (AUTH_PERMISSION_MISSING)`;
  if (parsesBody) {
    problems[413] = 'The body is larger than the service accepts (REQUEST_BODY_TOO_LARGE)';
    problems[415] = 'The body is not in a content type the route takes (REQUEST_UNSUPPORTED_MEDIA_TYPE)';
  }
  // A status both give (a 403 for the permission and one of the route's own) lists both reasons.
  for (const [status, when] of Object.entries(schema.problems ?? {})) {
    const kits = problems[Number(status)];
    problems[Number(status)] = kits === undefined ? when : `${kits}; or ${when}`;
  }
  return problems;
}

/** Security requirements that ask for something: not absent, not `[]`, not containing `{}` (OpenAPI's "optional"). */
function needsCredentials(security: FastifySchema['security']): boolean {
  return security !== undefined && security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
}

function preHandlersOf(route: Pick<RouteOptions, 'preHandler'>): readonly unknown[] {
  const handlers = route.preHandler;
  if (handlers === undefined) return [];
  return Array.isArray(handlers) ? handlers : [handlers];
}
