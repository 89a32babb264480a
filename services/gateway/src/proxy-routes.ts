import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, traceparentHeader } from '@lift/kit';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { upstreamFailureProblem } from './upstream-failure.js';
import type { Upstream } from './upstreams.js';

export interface ProxyRoutesOptions {
  readonly upstreams: readonly Upstream[];
  readonly timeoutMs: number;
}

/**
 * `/<service>` and `/<service>/*` forwarded with the prefix stripped. Bodies stream through
 * untouched: the gateway never parses them, the upstream validates them.
 */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRoutesOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  for (const upstream of options.upstreams) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => forward(request, reply, upstream, options.timeoutMs);
    app.all(upstream.prefix, { schema: { hide: true } }, handler);
    app.all(`${upstream.prefix}/*`, { schema: { hide: true } }, handler);
  }
}

async function forward(request: FastifyRequest, reply: FastifyReply, upstream: Upstream, timeoutMs: number): Promise<FastifyReply> {
  const rest = request.url.slice(upstream.prefix.length);
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  const headers = upstreamRequestHeaders(request.headers, {
    clientIp: request.ip,
    host: request.headers.host,
    protocol: request.protocol,
    requestId: request.id,
    traceparent: traceparentHeader(request.trace),
  });
  const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
  let response: Dispatcher.ResponseData;
  try {
    response = await upstream.pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path,
      headers,
      body: hasBody ? request.raw : null,
    });
  } catch (error) {
    request.log.warn({ upstream: upstream.name, err: error }, 'upstream failed');
    return sendProblem(request, reply, upstreamFailureProblem(upstream.name, error, timeoutMs));
  }
  reply.code(response.statusCode);
  reply.headers(clientResponseHeaders(response.headers));
  return reply.send(response.body);
}
