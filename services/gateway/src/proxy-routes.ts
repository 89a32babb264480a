import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceTarget } from './edge-routing.js';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import { identityHeaders } from './identity-headers.js';

export type ServiceForwarder = (request: FastifyRequest, reply: FastifyReply, target: ServiceTarget) => Promise<FastifyReply>;

/** `/<service>` and `/<service>/*` forwarded with the prefix stripped: the normalised path, the client's query. */
export function serviceForwarder(limits: ForwardLimits): ServiceForwarder {
  return (request, reply, target) => {
    const { upstream } = target;
    return forwardRequest(request, reply, { name: upstream.name, instances: upstream.instances, timeoutMs: upstream.timeoutMs, path: `${target.servicePath}${target.query}`, extraHeaders: identityHeaders(request) }, limits);
  };
}
