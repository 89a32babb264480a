import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceTarget } from './edge-routing.js';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import { identityHeaders } from './identity-headers.js';
import { apiKeyRevokedBy } from './api-key-revoked-here.js';

export type ServiceForwarder = (request: FastifyRequest, reply: FastifyReply, target: ServiceTarget) => Promise<FastifyReply>;

export interface ServiceForwarderHooks {
  /** An API key auth has just revoked through this gateway (see api-key-revoked-here.ts). */
  readonly apiKeyRevoked?: (apiKeyId: string) => void;
}

/** `/<service>` and `/<service>/*` forwarded with the prefix stripped: the normalised path, the client's query. */
export function serviceForwarder(limits: ForwardLimits, hooks: ServiceForwarderHooks = {}): ServiceForwarder {
  return (request, reply, target) => {
    const { upstream } = target;
    const revokedKey = hooks.apiKeyRevoked ? apiKeyRevokedBy(request.method, upstream.name, target.servicePath) : undefined;
    const onAnswer = revokedKey === undefined ? undefined : (status: number) => (status === 204 ? hooks.apiKeyRevoked?.(revokedKey) : undefined);
    return forwardRequest(
      request,
      reply,
      { name: upstream.name, instances: upstream.instances, timeoutMs: upstream.timeoutMs, path: `${target.servicePath}${target.query}`, extraHeaders: identityHeaders(request), ...(onAnswer ? { onAnswer } : {}) },
      limits,
    );
  };
}
