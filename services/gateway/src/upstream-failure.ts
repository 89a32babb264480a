import type { Problem } from '@lift/kit';
import { gatewayErrorCodes } from './errors.js';

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const tooSlow = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// The request never reached the upstream's application, or a reused keep-alive connection was
// closed under it: sending it again cannot do anything twice. Timeouts are not among them.
const safeToRetry = new Set([...unreachable, 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Whether a failed request may be sent again (if its method is idempotent and it has no body). */
export function isRetryableFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && safeToRetry.has(code);
}

/**
 * Whether the request failed before any connection to the upstream existed (refused, no such
 * host, connect timeout): nothing of it was sent, so even a POST may go to another instance —
 * Envoy's `connect-failure` retry. A reset of a connection that existed is not among them.
 */
export function neverReachedUpstream(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && unreachable.has(code);
}

/** A short label for metrics: the failure's code, or `error`. */
export function failureLabel(error: unknown): string {
  return errorCode(error) ?? 'error';
}

/** The answer while an upstream's circuit is open: at once, without trying it. */
export function circuitOpenProblem(upstream: string, retryAfterMs: number): Problem {
  return {
    status: 503,
    code: gatewayErrorCodes.circuitOpen,
    title: 'Service unavailable',
    detail: `The ${upstream} service failed repeatedly; the gateway stops sending it requests for a moment. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
    extensions: { upstream },
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  };
}

/**
 * What the client is told when an upstream fails: 503 when it cannot be reached (it is down or
 * starting), 504 when it did not answer in time, 502 when it broke the exchange. The problem
 * names the service, never its internal address.
 */
export function upstreamFailureProblem(upstream: string, error: unknown, timeoutMs: number): Problem {
  const code = errorCode(error);
  if (code !== undefined && unreachable.has(code)) {
    return {
      status: 503,
      code: gatewayErrorCodes.upstreamUnavailable,
      title: 'Service unavailable',
      detail: `The ${upstream} service is unavailable (${code}); try again shortly.`,
      extensions: { upstream },
      headers: { 'retry-after': '1' },
    };
  }
  if (code !== undefined && tooSlow.has(code)) {
    return {
      status: 504,
      code: gatewayErrorCodes.upstreamTimeout,
      title: 'Gateway timeout',
      detail: `The ${upstream} service did not answer within ${timeoutMs} ms.`,
      extensions: { upstream },
    };
  }
  return {
    status: 502,
    code: gatewayErrorCodes.badUpstreamResponse,
    title: 'Bad gateway',
    detail: `The ${upstream} service broke off the exchange (${code ?? 'unknown error'}).`,
    extensions: { upstream },
  };
}

function errorCode(error: unknown): string | undefined {
  // undici reports connection errors either directly or as the cause of a wrapping error.
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}
