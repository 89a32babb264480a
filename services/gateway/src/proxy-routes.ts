import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import { identityHeaders } from './identity-headers.js';
import type { Upstream } from './upstreams.js';

export interface ProxyRoutesOptions extends ForwardLimits {
  readonly upstreams: readonly Upstream[];
}

/** `/<service>` and `/<service>/*` forwarded with the prefix stripped. */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRoutesOptions): Promise<void> {
  for (const upstream of options.upstreams) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => {
      const rest = request.url.slice(upstream.prefix.length);
      return forwardRequest(request, reply, { name: upstream.name, pool: upstream.pool, timeoutMs: upstream.timeoutMs, path: rest.startsWith('/') ? rest : `/${rest}`, extraHeaders: identityHeaders(request) }, options);
    };
    app.all(upstream.prefix, { schema: { hide: true } }, handler);
    app.all(`${upstream.prefix}/*`, { schema: { hide: true } }, handler);
  }
}
