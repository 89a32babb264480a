import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { kitErrorCodes } from '../errors.js';
import { problemContentType, problemType, sendProblem, type Problem } from './problem-details.js';
import { requestIdHeader } from './request-id.js';

/**
 * Refusals Fastify makes before a route exists for the request — a path that is not valid
 * percent-encoding (`/%zz`, `/health%`), a path parameter over the router's limit, a failing
 * route constraint — and so before the error handler. They answer problem+json like every other
 * error, with the request id the request would have had.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = frameworkProblem(error);
  reply.header(requestIdHeader, request.id);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
  void sendProblem(request, reply, problem);
}

function frameworkProblem(error: FastifyError): Problem {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: kitErrorCodes.badUrl, title: 'Bad request', detail: 'The request path is not a valid URL: every % must start a two-digit hex escape of UTF-8.' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: kitErrorCodes.uriTooLong, title: 'URI too long', detail: 'A segment of the request path is longer than this service accepts.' };
    default:
      return { status: 500, code: kitErrorCodes.internal, title: 'Internal server error', detail: 'The service failed to handle this request; the request id identifies it in the logs.' };
  }
}

/** What Node's HTTP parser refused, as the status and problem the client gets. */
function clientProblem(code: string | undefined): Problem {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: kitErrorCodes.requestTimeout, title: 'Request timeout', detail: 'The request did not arrive in full in time.' };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: kitErrorCodes.headersTooLarge, title: 'Request header fields too large', detail: 'The request headers are larger than this service accepts.' };
  }
  return {
    status: 400,
    code: kitErrorCodes.malformedRequest,
    title: 'Bad request',
    detail: 'The request is not valid HTTP/1.1 (a malformed request line, header, Content-Length or chunked body).',
  };
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (bad header characters,
 * an invalid or doubled Content-Length, Content-Length with chunked encoding, oversized headers,
 * a request that arrives too slowly). Fastify's default answers those with plain JSON; this one
 * answers problem+json on the socket, then closes it: after a parse error the connection's framing
 * cannot be trusted.
 */
export function clientErrorHandler(log: Logger): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const problem = clientProblem(error.code);
    const requestId = randomUUID();
    log.debug({ code: error.code, status: problem.status, reqId: requestId }, 'malformed request refused');
    if (socket.writable) {
      const body = JSON.stringify({ type: problemType(problem.code), title: problem.title, status: problem.status, detail: problem.detail, code: problem.code, requestId });
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? problem.title}\r\n` +
          `Content-Type: ${problemContentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${requestIdHeader}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
