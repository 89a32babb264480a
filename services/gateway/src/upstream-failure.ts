import type { Problem } from '@lift/kit';
import { gatewayErrorCodes } from './errors.js';

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const tooSlow = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

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
