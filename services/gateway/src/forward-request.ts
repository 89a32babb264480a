import type { FastifyReply, FastifyRequest } from 'fastify';
import { kitErrorCodes, sendProblem, traceparentHeader } from '@lift/kit';
import type { Dispatcher, Pool } from 'undici';
import { limitedBody } from './body-limit.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { upstreamFailureProblem } from './upstream-failure.js';

export interface ForwardTarget {
  /** Named in problems: a core service or a module. */
  readonly name: string;
  readonly pool: Pool;
  /** Path and query on the target, after the gateway's prefix was replaced. */
  readonly path: string;
  /** Headers the gateway asserts (identity), added after the client's were filtered. */
  readonly extraHeaders?: Record<string, string>;
}

export interface ForwardLimits {
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
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

/** Streams the request to the target over its keep-alive pool and the answer back. */
export async function forwardRequest(request: FastifyRequest, reply: FastifyReply, target: ForwardTarget, limits: ForwardLimits): Promise<FastifyReply> {
  const declaredLength = request.headers['content-length'];
  if (declaredLength !== undefined && Number(declaredLength) > limits.bodyLimitBytes) return bodyTooLarge(request, reply, limits.bodyLimitBytes);
  const headers = {
    ...upstreamRequestHeaders(request.headers, {
      clientIp: request.ip,
      host: request.headers.host,
      protocol: request.protocol,
      requestId: request.id,
      traceparent: traceparentHeader(request.trace),
    }),
    ...target.extraHeaders,
  };
  const hasBody = declaredLength !== undefined ? declaredLength !== '0' : request.headers['transfer-encoding'] !== undefined;
  const chunked = hasBody && declaredLength === undefined ? limitedBody(request.raw, limits.bodyLimitBytes) : undefined;
  let response: Dispatcher.ResponseData;
  try {
    response = await target.pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path: target.path,
      headers,
      body: chunked ? chunked.stream : hasBody ? request.raw : null,
    });
  } catch (error) {
    if (chunked?.exceeded()) return bodyTooLarge(request, reply, limits.bodyLimitBytes);
    request.log.warn({ upstream: target.name, err: error }, 'upstream failed');
    return sendProblem(request, reply, upstreamFailureProblem(target.name, error, limits.timeoutMs));
  }
  reply.code(response.statusCode);
  reply.headers(clientResponseHeaders(response.headers));
  return reply.send(response.body);
}
