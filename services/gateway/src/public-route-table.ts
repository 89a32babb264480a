import { declaredPublicRoutes, type DeclaredPublicRoutes } from './declared-public-routes.js';
import type { OpenApiDocument } from './openapi-merge.js';
import type { ServiceDocuments } from './service-documents.js';

/**
 * What the gateway knows about a route of a core service: declared public by the service, not
 * public, or not known yet because the service's document has never been fetched.
 */
export type RouteAccess = 'public' | 'protected' | 'unknown';

export interface PublicRouteTable {
  /** `path` is the service's own, normalised path (the gateway's prefix stripped). */
  accessOf(service: string, method: string, path: string): RouteAccess;
  /** Tries to fetch the service's document now, for a request that cannot be decided without it. */
  learn(service: string): Promise<void>;
}

/**
 * The kit serves these on every service and keeps them out of the documents (they are the same
 * everywhere), so the gateway knows them as one fixed rule: GET or HEAD of the probes, the
 * document and the Swagger UI with its assets. Matched on the normalised path, which is also
 * what the service receives, so `/billing/docs/../v1/plans` is `/billing/v1/plans` here too.
 */
const kitPublicPaths = new Set(['/health', '/ready', '/openapi.json', '/docs', '/docs/', '/docs/json', '/docs/yaml']);
const kitDocsAssets = '/docs/static/';

function isKitPublicRoute(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && (kitPublicPaths.has(path) || path.startsWith(kitDocsAssets));
}

/**
 * Public routes come from the services themselves: an operation whose `security` is `[]` in the
 * service's OpenAPI document. The table follows the documents the gateway holds (fetched when it
 * starts listening, refreshed with the merged document at most once a minute), so a route a
 * service declares public cannot be forgotten at the edge. Until a service's document has been
 * fetched its routes are `unknown` — never public by accident.
 */
export function publicRouteTable(documents: ServiceDocuments): PublicRouteTable {
  const compiled = new WeakMap<OpenApiDocument, DeclaredPublicRoutes>();
  return {
    accessOf(service, method, path) {
      if (isKitPublicRoute(method, path)) return 'public';
      documents.keepFresh();
      const document = documents.latest(service);
      if (document === undefined) return 'unknown';
      let routes = compiled.get(document);
      if (routes === undefined) {
        routes = declaredPublicRoutes(document);
        compiled.set(document, routes);
      }
      return routes.matches(method, path) ? 'public' : 'protected';
    },
    learn: (service) => documents.fetchNow(service),
  };
}
