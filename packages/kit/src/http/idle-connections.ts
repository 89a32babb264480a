/**
 * undici pool options that close a pooled connection once it has been idle for `idleMs`. undici
 * takes `keepAliveTimeout` as a default only: a server's `Keep-Alive: timeout=72` hint (Node's
 * and Fastify's default) overrides it up to `keepAliveMaxTimeout` (10 minutes), so without the
 * cap every connection a burst opened stayed open 71 s whatever the pool was told.
 */
export function closeIdleConnectionsAfter(idleMs: number): { readonly keepAliveTimeout: number; readonly keepAliveMaxTimeout: number } {
  return { keepAliveTimeout: idleMs, keepAliveMaxTimeout: idleMs };
}
