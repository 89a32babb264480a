import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { LazyRequestLogger } from './lazy-request-logger.js';
import { matchedRoute } from './matched-route.js';
import { accessLineWriter, type AccessFields, type AccessLineWriter } from './access-line.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Where a proxy (the gateway) forwarded the request: logged with it. */
    upstream?: string;
  }
}

/**
 * Query parameters whose values are credentials (link tokens — `/console/reset-password?token=…`,
 * OAuth codes and tokens, keys, passwords): their values never reach the log. Matched without
 * regard to case, after percent-decoding the name.
 */
const sensitiveQueryParameters = new Set(['token', 'access_token', 'refresh_token', 'id_token', 'code', 'key', 'api_key', 'apikey', 'client_secret', 'secret', 'password']);

/** The request's url for the log: the values of sensitive query parameters replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && sensitiveQueryParameters.has(decodedName(name).toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryAt)}?${query}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

// Orchestrators and Prometheus call these every few seconds; successful calls would drown the log.
const probeRoutes = new Set(['/health', '/ready', '/metrics']);

/**
 * One access-log line per request, written when the answer is complete, instead of Fastify's
 * two (incoming + completed) that double log volume without adding facts.
 */
export class AccessLogController extends LogController {
  private readonly writeAccessLine: AccessLineWriter | undefined;

  constructor(private readonly log: Logger) {
    super();
    this.writeAccessLine = accessLineWriter(log);
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // Through the service's logger with the request's bindings (request id, trace id) inline:
    // a request that logs nothing else never needs its own child logger.
    const bindings = plainBindingsOf(reply);
    const fields = accessFieldsOf(request, reply, reply.statusCode);
    const log: Logger | FastifyBaseLogger = bindings ? this.log : reply.log;
    if (error) log.error({ ...bindings, ...fields, err: error }, 'request errored');
    else if (reply.statusCode < 400 && probeRoutes.has(fields.route ?? '')) log.debug({ ...bindings, ...fields }, 'request completed');
    else if (!(bindings && this.writeAccessLine?.(bindings, fields))) log.info({ ...bindings, ...fields }, 'request completed');
  }

  /**
   * The line of a request whose answer never finished — the client went away, or the answer was
   * cut off — which Fastify does not log at all (it logs on the response's `finish` or `error`).
   * `status` is what the client was sent, or 499 when it was sent nothing (nginx's "client
   * closed request").
   */
  requestIncomplete(request: FastifyRequest, reply: FastifyReply, status: number): void {
    const bindings = plainBindingsOf(reply);
    const log: Logger | FastifyBaseLogger = bindings ? this.log : reply.log;
    const fields = accessFieldsOf(request, reply, status);
    // A probe whose caller gave up is as routine as one answered (an orchestrator's timeout).
    if (probeRoutes.has(fields.route ?? '')) log.debug({ ...bindings, ...fields }, 'request incomplete');
    else log.info({ ...bindings, ...fields }, 'request incomplete');
  }
}

function plainBindingsOf(reply: FastifyReply) {
  return reply.log instanceof LazyRequestLogger && reply.log.plain ? reply.log.bindings : undefined;
}

function accessFieldsOf(request: FastifyRequest, reply: FastifyReply, status: number): AccessFields {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    route: matchedRoute(request).url,
    status,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    org: request.identity?.organisation,
    upstream: request.upstream,
  };
}
