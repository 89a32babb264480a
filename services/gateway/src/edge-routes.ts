import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { edgeRouting, edgeTargetOfRequest } from './edge-routing.js';
import type { ModuleForwarder } from './module-routes.js';
import type { ServiceForwarder } from './proxy-routes.js';
import type { Upstream } from './upstreams.js';

export interface EdgeRoutesOptions {
  readonly upstreams: readonly Upstream[];
  readonly toService: ServiceForwarder;
  readonly toModule: ModuleForwarder;
}

/**
 * Every proxied route: `/<service>(/*)`, `/modules/:moduleId(/*)`, and a catch-all for raw paths
 * that only reach a service once normalised (`//auth/v1/login`, `/x/../auth/v1/login`). All of
 * them go where edgeRouting's normalised path says, whichever Fastify matched; the specific
 * routes exist so that metrics and logs keep naming the service (`route="/memory/*"`).
 */
export async function edgeRoutes(app: FastifyInstance, options: EdgeRoutesOptions): Promise<void> {
  app.addHook('onRequest', edgeRouting(options.upstreams));
  const forward = (request: FastifyRequest, reply: FastifyReply) => {
    const target = edgeTargetOfRequest(request);
    return target.kind === 'service' ? options.toService(request, reply, target) : options.toModule(request, reply, target);
  };
  const hidden = { schema: { hide: true } };
  for (const upstream of options.upstreams) {
    app.all(upstream.prefix, hidden, forward);
    app.all(`${upstream.prefix}/*`, hidden, forward);
  }
  app.all('/modules/:moduleId', hidden, forward);
  app.all('/modules/:moduleId/*', hidden, forward);
  app.all('/*', hidden, forward);
}
