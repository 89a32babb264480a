import type { FastifyInstance } from 'fastify';

const tokenEndpoint = '/auth/v1/oauth/token';

/**
 * The token endpoint speaks RFC 6749 (auth answers its errors that way), and so must the gateway's
 * own refusals there — a rate limit, an unreachable auth, a body too large — or an OAuth client
 * library, which reads only `application/json` with an `error` member, reports a broken response
 * instead of the reason. Every other route keeps problem+json.
 */
export function oauthErrorsAtTokenEndpoint(scope: FastifyInstance): void {
  scope.addHook('onSend', (request, reply, payload, done) => {
    if (request.edge?.path !== tokenEndpoint || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json')) {
      done(null, payload);
      return;
    }
    let detail: unknown;
    try {
      detail = (JSON.parse(payload) as { detail?: unknown }).detail;
    } catch {
      detail = undefined;
    }
    const error = reply.statusCode === 429 || reply.statusCode >= 500 ? 'temporarily_unavailable' : 'invalid_request';
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.header('cache-control', 'no-store');
    done(null, JSON.stringify({ error, ...(typeof detail === 'string' ? { error_description: detail } : {}) }));
  });
}
