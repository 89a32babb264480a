import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { LazyRequestLogger } from './lazy-request-logger.js';

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
  constructor(private readonly log: Logger) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // Through the service's logger with the request's bindings (request id, trace id) inline:
    // a request that logs nothing else never needs its own child logger.
    const bindings = reply.log instanceof LazyRequestLogger && reply.log.plain ? reply.log.bindings : undefined;
    const log: Logger | FastifyBaseLogger = bindings ? this.log : reply.log;
    const line = {
      ...bindings,
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      org: request.identity?.organisation,
      upstream: request.upstream,
    };
    if (error) log.error({ ...line, err: error }, 'request errored');
    else if (reply.statusCode < 400 && probeRoutes.has(line.route ?? '')) log.debug(line, 'request completed');
    else log.info(line, 'request completed');
  }
}
