import type { OpenApiDocument } from './openapi-merge.js';

/** The operations one service's document declares public, ready to match requests against. */
export interface DeclaredPublicRoutes {
  /** Whether `method path` (the service's own, normalised path) is one of them. */
  matches(method: string, path: string): boolean;
}

const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * OpenAPI's way of saying "no credentials needed": the operation's `security` (or, when it has
 * none, the document's) is an empty list or contains the empty requirement `{}`. An operation
 * that says nothing is protected — the gateway fails closed, although OpenAPI would call it open.
 */
export function isDeclaredPublic(operation: unknown, documentSecurity: unknown): boolean {
  const own = typeof operation === 'object' && operation !== null ? (operation as { security?: unknown }).security : undefined;
  const security = own ?? documentSecurity;
  if (!Array.isArray(security)) return false;
  return security.length === 0 || security.some((requirement) => typeof requirement === 'object' && requirement !== null && Object.keys(requirement).length === 0);
}

/**
 * Compiles a service's public operations. Static paths are looked up in a map (nothing is
 * allocated per request); a templated path (`/v1/invoices/{id}`) matches exactly one non-empty
 * segment per parameter, never a `/`. A public GET also admits HEAD, which Fastify answers for
 * every GET route.
 */
export function declaredPublicRoutes(document: OpenApiDocument): DeclaredPublicRoutes {
  const exact = new Map<string, Set<string>>();
  const templated: { readonly pattern: RegExp; readonly methods: Set<string> }[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const methods = new Set<string>();
    for (const method of operationMethods) {
      if (item[method] === undefined || !isDeclaredPublic(item[method], document.security)) continue;
      methods.add(method.toUpperCase());
      if (method === 'get') methods.add('HEAD');
    }
    if (methods.size === 0) continue;
    if (path.includes('{')) templated.push({ pattern: templatePattern(path), methods });
    else exact.set(path, methods);
  }
  return {
    matches(method, path) {
      if (exact.get(path)?.has(method)) return true;
      return templated.some((route) => route.methods.has(method) && route.pattern.test(path));
    },
  };
}

function templatePattern(path: string): RegExp {
  const source = path
    .split(/(\{[^}/]*\})/)
    .map((part) => (part.startsWith('{') && part.endsWith('}') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
