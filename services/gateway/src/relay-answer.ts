import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isEventStream, sendProblem, type Problem } from '@lift/kit';
import type { OpenStreams } from './open-streams.js';
import { withoutPlatformSetCookies } from './platform-cookies.js';
import { clientResponseHeaders } from './proxy-headers.js';
import type { UpstreamAnswer } from './upstream-dispatch.js';

export interface RelayOptions {
  /** Event streams in relay, ended when the gateway closes. */
  readonly openStreams: OpenStreams;
  /**
   * Write ordinary answers straight to the client's response. Off when tracing is on: the
   * OpenTelemetry plugin ends its server span in an onSend hook, which a hijacked reply skips.
   */
  readonly direct: boolean;
  /** Drop Set-Cookie values that would set the platform's own cookies (a module's answer). */
  readonly withholdPlatformCookies?: boolean;
  /** What the client is told when the upstream fails after its head but before any of its body. */
  readonly problemFor: (error: unknown) => Problem;
}

/**
 * Sends an upstream's answer to the client. An ordinary answer is written straight to the
 * response (the reply is hijacked): Fastify's send, its stream handling and its onSend hooks cost
 * about a tenth of a proxied request's CPU, and the one onSend hook every service has (closing
 * keep-alive connections during a drain) is applied here. Fastify's onResponse hooks (metrics, the
 * access log) still run when the response finishes. An event stream goes through Fastify and
 * `OpenStreams`, which ends it when the gateway closes.
 */
export function relayAnswer(request: FastifyRequest, reply: FastifyReply, answer: UpstreamAnswer, options: RelayOptions): FastifyReply {
  const upstreamHeaders = clientResponseHeaders(answer.headers);
  if (options.withholdPlatformCookies && upstreamHeaders['set-cookie'] !== undefined) {
    const kept = withoutPlatformSetCookies(upstreamHeaders['set-cookie']);
    if (kept === undefined) delete upstreamHeaders['set-cookie'];
    else upstreamHeaders['set-cookie'] = kept;
  }
  reply.code(answer.statusCode);
  reply.headers(upstreamHeaders);
  if (isEventStream(answer.headers['content-type'])) return reply.send(options.openStreams.relay(answer.bodyStream()));
  if (!options.direct) return reply.send(answer.bodyStream());
  const response = reply.raw;
  // A client that went away before the answer came (its 'close' is past) or goes away during it
  // releases the upstream's connection: a body left paused would hold it for good.
  let clientGone = false;
  const leave = (): void => {
    clientGone = true;
    answer.abort(new Error('the client closed its connection before the answer ended'));
  };
  if (response.destroyed || response.socket === null || response.socket.destroyed) {
    leave();
    return reply;
  }
  response.once('close', () => {
    if (!response.writableFinished) leave();
  });
  // The status line is written with the first byte of the body (or its end), not before: an
  // upstream that fails in between still gets the client a proper 502 problem through Fastify.
  let started = false;
  const start = (): void => {
    started = true;
    if (request.server.readiness.shuttingDown) reply.header('connection', 'close');
    // As Fastify's send: a 204 has no body to describe (RFC 9110 §8.6: no Content-Length).
    if (answer.statusCode === 204) reply.removeHeader('content-length').removeHeader('content-type');
    reply.hijack();
    response.writeHead(answer.statusCode, reply.getHeaders() as OutgoingHttpHeaders);
  };
  const resume = (): void => answer.resume();
  answer.deliverTo({
    data: (chunk) => {
      if (!started) start();
      if (response.write(chunk)) return true;
      if (response.destroyed) return false;
      response.once('drain', resume);
      return false;
    },
    end: () => {
      if (!started) start();
      response.end();
    },
    fail: (error) => {
      if (clientGone) return;
      request.log.warn({ upstream: request.upstream, err: error }, 'upstream answer cut off');
      if (!started) {
        // The problem is the gateway's answer, not the upstream's: none of its headers (an
        // encoding, cookies, caching) may describe it.
        for (const name of Object.keys(upstreamHeaders)) reply.removeHeader(name);
        void sendProblem(request, reply, options.problemFor(error));
        return;
      }
      // The status line is gone: the only way to tell the client the answer is incomplete.
      response.destroy();
    },
  });
  return reply;
}
