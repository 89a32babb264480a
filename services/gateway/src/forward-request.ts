import type { FastifyReply, FastifyRequest } from 'fastify';
import { kitErrorCodes, outgoingTraceparent, sendProblem } from '@lift/kit';
import type { Dispatcher } from 'undici';
import { limitedBody } from './body-limit.js';
import { clientGone, whenClientLeaves } from './client-departure.js';
import type { OpenStreams } from './open-streams.js';
import { withoutPlatformCookies } from './platform-cookies.js';
import { upstreamRequestHeaders } from './proxy-headers.js';
import { relayAnswer } from './relay-answer.js';
import { circuitOpenProblem, failureLabel, isRetryableFailure, neverReachedUpstream, upstreamFailureProblem } from './upstream-failure.js';
import { dispatchUpstream, type UpstreamAnswer } from './upstream-dispatch.js';
import type { UpstreamInstances } from './upstream-instances.js';
import type { UpstreamResilience } from './upstream-resilience.js';

export interface ForwardTarget {
  /** Named in problems: a core service or a module. */
  readonly name: string;
  /** Its instances (a module has one), each with its keep-alive pool. */
  readonly instances: UpstreamInstances;
  /** Path and query on the target, after the gateway's prefix was replaced. */
  readonly path: string;
  /** Headers the gateway asserts (identity), added after the client's were filtered. */
  readonly extraHeaders?: Record<string, string>;
  /** The target's own answer timeout, when it differs from the gateway's default. */
  readonly timeoutMs?: number;
  /** A module: it neither receives nor sets the platform's own cookies (see platform-cookies.ts). */
  readonly withholdPlatformCookies?: boolean;
  /** Called with the upstream's status once its answer arrived, before it is relayed to the client. */
  readonly onAnswer?: (statusCode: number) => void;
}

export interface ForwardLimits {
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
  readonly resilience: UpstreamResilience;
  /** Event streams in relay, ended when the gateway closes. */
  readonly openStreams: OpenStreams;
  /** Ordinary answers written straight to the client (see `relayAnswer`); off while tracing is on. */
  readonly directRelay: boolean;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Oversize bodies are refused here, at the edge: an upstream that refuses one mid-upload closes
 * the connection, which the client would otherwise see as a 502 instead of a 413.
 */
function bodyTooLarge(request: FastifyRequest, reply: FastifyReply, limitBytes: number): FastifyReply {
  // The rest of the body is never read: on a kept-alive connection the next request would wait
  // behind it for good (Node discards an unread body only when nothing was read of it). nginx
  // closes the connection after a 413 too.
  if (!request.raw.readableEnded) reply.header('connection', 'close');
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
      traceparent: outgoingTraceparent(request.trace),
      callerTraceContinued: request.trace.continued === true,
    }),
    ...target.extraHeaders,
  };
  if (target.withholdPlatformCookies && headers.cookie !== undefined) {
    const cookie = withoutPlatformCookies(headers.cookie);
    if (cookie === undefined) delete headers.cookie;
    else headers.cookie = cookie;
  }
  const hasBody = declaredLength !== undefined ? declaredLength !== '0' : request.headers['transfer-encoding'] !== undefined;
  // Every body goes through a stream of its own: when the upstream fails mid-request undici
  // destroys the body it was given, and that must not be the client's request (its connection
  // would die with it instead of receiving a 502). The limit also holds for chunked bodies.
  // A body the metering hook already read (a batch search) goes on from its copy.
  const body = hasBody ? limitedBody(request.forwardedBody ?? request.raw, limits.bodyLimitBytes) : undefined;
  const { resilience } = limits;
  const timeoutMs = target.timeoutMs ?? limits.timeoutMs;
  const breaker = resilience.breakerFor(target.name);
  request.upstream = target.name;
  if (!breaker.tryAcquire()) {
    resilience.metrics.observe(target.name, 'circuit_open', 0);
    return sendProblem(request, reply, circuitOpenProblem(target.name, breaker.retryAfterMs()));
  }
  const budget = resilience.budgetFor(target.name);
  budget.deposit();
  // A request that can be sent again unchanged is retried: no body, and a method that means the
  // same twice. Any other only when it never reached the upstream (see `neverReachedUpstream`).
  const mayRetry = !hasBody && idempotentMethods.has(request.method);
  const started = performance.now();
  const { instances } = target;
  let instance = instances.pick();
  let answer: UpstreamAnswer;
  for (let attempt = 0; ; attempt += 1) {
    // A client already gone — before the first attempt, or during a retry's backoff — gets
    // nothing: an upload that can never come must not take an upstream connection (undici opens
    // one and waits to send the head with the body's first byte).
    if (body?.clientLeft() || clientGone(reply.raw)) {
      breaker.release();
      return reply;
    }
    if (attempt > 0) resilience.metrics.retried(target.name);
    instance.outstanding += 1;
    const inFlight = dispatchUpstream(instance.pool, { method: request.method as Dispatcher.HttpMethod, path: target.path, headers, body: body ? body.stream : null }, timeoutMs);
    // A client that gives up before the head came frees the upstream's connection at once, not at the timeout.
    let clientLeft = false;
    const stopWatching = whenClientLeaves(reply.raw, () => {
      clientLeft = true;
      inFlight.cancel(new Error('the client closed its connection before the answer came'));
    });
    try {
      answer = await inFlight.answer;
      instance.outstanding -= 1;
      break;
    } catch (error) {
      instance.outstanding -= 1;
      if (body?.exceeded()) {
        breaker.recordSuccess();
        return bodyTooLarge(request, reply, limits.bodyLimitBytes);
      }
      // The client went away (during its upload, or while waiting): nothing the upstream did, and nobody to answer.
      if (clientLeft || body?.clientLeft()) {
        breaker.release();
        return reply;
      }
      instances.failed(instance, failureLabel(error));
      const unsent = neverReachedUpstream(error) && body?.resendable() !== false;
      if ((mayRetry ? isRetryableFailure(error) : unsent) && attempt < resilience.settings.maxRetries && budget.tryWithdraw()) {
        // Another instance when there is one: the one that just failed is the likeliest to fail again.
        const next = instances.pick(instance);
        // The same instance again gets a moment to recover; another one is asked at once.
        if (next === instance) await backoff(attempt);
        instance = next;
        continue;
      }
      // The circuit is the service's as a whole: while another instance takes requests, a failure on
      // this one is outlier detection's to act on (it ejects the instance), and the service still serves.
      if (instances.hasAlternativeTo(instance)) breaker.recordSuccess();
      else breaker.recordFailure();
      resilience.metrics.observe(target.name, failureLabel(error), (performance.now() - started) / 1000);
      request.log.warn({ upstream: target.name, instance: instance.label, err: error, attempts: attempt + 1 }, 'upstream failed');
      return sendProblem(request, reply, upstreamFailureProblem(target.name, error, timeoutMs));
    } finally {
      stopWatching();
    }
  }
  // An answer of any status means the upstream is alive: only failures to answer open the circuit.
  breaker.recordSuccess();
  target.onAnswer?.(answer.statusCode);
  const outcome = statusClass(answer.statusCode);
  instances.answered(instance, answer.statusCode, outcome);
  resilience.metrics.observe(target.name, outcome, (performance.now() - started) / 1000);
  try {
    return relayAnswer(request, reply, answer, {
      openStreams: limits.openStreams,
      direct: limits.directRelay,
      withholdPlatformCookies: target.withholdPlatformCookies === true,
      problemFor: (error) => upstreamFailureProblem(target.name, error, timeoutMs),
    });
  } catch (error) {
    // Whatever failed, the answer's body must not stay paused on the pool's connection.
    answer.abort(error as Error);
    throw error;
  }
}

const statusClasses = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
function statusClass(status: number): string {
  return statusClasses[Math.floor(status / 100)] ?? 'other';
}

/** Exponential backoff with full jitter (25 ms, 50 ms, …), so retries from many requests spread out. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
}
