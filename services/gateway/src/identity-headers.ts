import type { FastifyRequest } from 'fastify';

/** What the gateway asserts about the caller to the service behind it (inbound x-lift-* are dropped). */
export function identityHeaders(request: FastifyRequest): Record<string, string> {
  const identity = request.identity;
  if (!identity) return { 'x-lift-request-id': request.id };
  return {
    'x-lift-user': identity.subject,
    'x-lift-org': identity.organisation,
    'x-lift-roles': identity.roles.join(','),
    'x-lift-request-id': request.id,
  };
}
