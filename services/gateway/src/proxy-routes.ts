import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kitErrorCodes, sendProblem, traceparentHeader } from '@lift/kit';
import type { Dispatcher } from 'undici';
import { limitedBody } from './body-limit.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { upstreamFailureProblem } from './upstream-failure.js';
import type { Upstream } from './upstreams.js';

export interface ProxyRoutesOptions {
  readonly upstreams: readonly Upstream[];
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
}

/**
 * `/<service>` and `/<service>/*` forwarded with the prefix stripped. Bodies stream through
 * untouched: the gateway never parses them, the upstream validates them.
 */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRoutesOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  for (const upstream of options.upstreams) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => forward(request, reply, upstream, options);
    app.all(upstream.prefix, { schema: { hide: true } }, handler);
    app.all(`${upstream.prefix}/*`, { schema: { hide: true } }, handler);
  }
}

/**
 * Oversize bodies are refused here, at the edge: an upstream that refuses one mid-upload closes
 * the connection, which the client would otherwise see as a 502 instead of a 413.
 */
function bodyTooLarge(request: FastifyRequest, reply: FastifyReply, limitBytes: number): FastifyReply {
  return sendProblem(request, reply, {
    status: 413,
    code: kitErrorCodes.bodyTooLarge,
    title: 'Payload too large',
    detail: `The request body is larger than the limit of ${limitBytes} bytes.`,
  });
}

async function forward(request: FastifyRequest, reply: FastifyReply, upstream: Upstream, options: ProxyRoutesOptions): Promise<FastifyReply> {
  const declaredLength = request.headers['content-length'];
  if (declaredLength !== undefined && Number(declaredLength) > options.bodyLimitBytes) return bodyTooLarge(request, reply, options.bodyLimitBytes);
  const rest = request.url.slice(upstream.prefix.length);
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  const headers = upstreamRequestHeaders(request.headers, {
    clientIp: request.ip,
    host: request.headers.host,
    protocol: request.protocol,
    requestId: request.id,
    traceparent: traceparentHeader(request.trace),
  });
  const hasBody = declaredLength !== undefined ? declaredLength !== '0' : request.headers['transfer-encoding'] !== undefined;
  const chunked = hasBody && declaredLength === undefined ? limitedBody(request.raw, options.bodyLimitBytes) : undefined;
  let response: Dispatcher.ResponseData;
  try {
    response = await upstream.pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path,
      headers,
      body: chunked ? chunked.stream : hasBody ? request.raw : null,
    });
  } catch (error) {
    if (chunked?.exceeded()) return bodyTooLarge(request, reply, options.bodyLimitBytes);
    request.log.warn({ upstream: upstream.name, err: error }, 'upstream failed');
    return sendProblem(request, reply, upstreamFailureProblem(upstream.name, error, options.timeoutMs));
  }
  reply.code(response.statusCode);
  reply.headers(clientResponseHeaders(response.headers));
  return reply.send(response.body);
}
