import type { FastifyContextConfig, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The matched route's config, read once: see {@link matchedRoute}. */
    matchedRouteConfig: (FastifyContextConfig & { readonly url?: string }) | undefined;
  }
}

const noConfig: FastifyContextConfig & { readonly url?: string } = Object.freeze({});

/**
 * The matched route's config (its `url` pattern — undefined for a 404 — and options such as
 * `longLived`), read from Fastify once per request. `request.routeOptions` builds a new
 * twelve-field object at every read, and the metrics, the access line and the edge each read it:
 * on the gateway's proxy path that was ~2 % of its CPU (bench/gateway profile). A request moved to
 * the 404 handler after it was read (`reply.callNotFound()`, by us or by a plugin such as
 * @fastify/static) is read again: `is404` is one property lookup.
 */
export function matchedRoute(request: FastifyRequest): FastifyContextConfig & { readonly url?: string } {
  const read = request.matchedRouteConfig;
  if (read !== undefined && !(read.url !== undefined && request.is404)) return read;
  return (request.matchedRouteConfig = request.routeOptions.config ?? noConfig);
}
