import type { FastifySchema, RouteOptions } from 'fastify';
import { fallbackOperationId } from './operation-ids.js';
import { problemResponse, problemSchemaName, ProblemSchema } from './problem-schema.js';
import { problemsOf, type RouteProblems } from './route-problems.js';

/** Carries a route's problems from `documentRoute` to `finishDocument`; never in a served document. */
const problemsKey = 'x-lift-problems';

type Json = Record<string, unknown>;
const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * @fastify/swagger's `transform`: gives each documented route an operationId if it names none and
 * notes the problems it can answer (see route-problems.ts) for `finishDocument` to declare.
 */
export function documentRoute({ schema, url, route }: { schema: FastifySchema | undefined; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const own = schema ?? {};
  const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
  const problems = problemsOf(route, own, method);
  return {
    url,
    schema: { ...own, operationId: own.operationId ?? fallbackOperationId(method, url), ...(problems ? { [problemsKey]: problems } : {}) },
  };
}

/**
 * @fastify/swagger's `transformObject`: the finished document declares each route's problems as
 * application/problem+json responses of the shared `Problem` schema — besides the statuses the
 * route's schema already answers, and with a `default` for what any route may answer — serves
 * the document from where it was fetched (`servers: /`), and keeps only the security schemes in use.
 */
export function finishDocument(document: Json): Json {
  let problemsUsed = false;
  const schemesUsed = new Set<string>();
  const noteSecurity = (security: unknown) => {
    if (Array.isArray(security)) for (const requirement of security) for (const name of Object.keys(requirement as Json)) schemesUsed.add(name);
  };
  noteSecurity(document.security);

  for (const item of Object.values((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of operationMethods) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      noteSecurity(operation.security);
      const problems = operation[problemsKey] as RouteProblems | undefined;
      delete operation[problemsKey];
      if (!problems) continue;
      const responses = (operation.responses ??= {}) as Json;
      for (const [status, when] of Object.entries(problems)) responses[status] ??= problemResponse(when);
      responses.default ??= problemResponse(
        'Any other failure, as a problem: INTERNAL_ERROR (500, a bug) or SERVICE_SHUTTING_DOWN (503) on any route; docs/api/errors.md lists every code',
      );
      problemsUsed = true;
    }
  }

  const components = (document.components ?? {}) as Record<string, Json>;
  if (problemsUsed) components.schemas = { ...components.schemas, [problemSchemaName]: JSON.parse(JSON.stringify(ProblemSchema)) as Json };
  const schemes = Object.entries(components.securitySchemes ?? {}).filter(([name]) => schemesUsed.has(name));
  if (schemes.length > 0) components.securitySchemes = Object.fromEntries(schemes);
  else delete components.securitySchemes;
  return { ...document, servers: [{ url: '/', description: 'this service' }], components };
}
