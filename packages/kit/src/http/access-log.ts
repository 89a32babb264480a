import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Where a proxy (the gateway) forwarded the request: logged with it. */
    upstream?: string;
  }
}

// Orchestrators and Prometheus call these every few seconds; successful calls would drown the log.
const probeRoutes = new Set(['/health', '/ready', '/metrics']);

/**
 * One access-log line per request, written when the answer is complete, instead of Fastify's
 * two (incoming + completed) that double log volume without adding facts.
 */
export class AccessLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      org: request.identity?.organisation,
      upstream: request.upstream,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (reply.statusCode < 400 && probeRoutes.has(line.route ?? '')) reply.log.debug(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
