import type { FastifyInstance } from 'fastify';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import type { Upstream } from './upstreams.js';

/**
 * RFC 8414 §3.1: the metadata of an issuer with a path (`PUBLIC_URL/auth`) lives at
 * `/.well-known/oauth-authorization-server/auth` on its host — where OAuth client libraries look
 * for it. Auth serves it at its own `/.well-known/oauth-authorization-server` (through the gateway
 * also `/auth/.well-known/oauth-authorization-server`); this is the same document at the standard
 * place, public like every discovery document.
 */
export async function oauthMetadataRoute(app: FastifyInstance, options: { auth: Upstream; limits: ForwardLimits }): Promise<void> {
  const { auth } = options;
  app.get('/.well-known/oauth-authorization-server/auth', { schema: { hide: true } }, (request, reply) =>
    forwardRequest(request, reply, { name: auth.name, instances: auth.instances, timeoutMs: auth.timeoutMs, path: '/.well-known/oauth-authorization-server' }, options.limits),
  );
}
