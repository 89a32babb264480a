import { expect } from 'vitest';
import type { ServiceProcess } from '../../support/service-process.js';

/** One answer of a gateway replica, read whole. */
export interface ReplicaAnswer {
  readonly replica: number;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** A request to replica `replica` as a load balancer forwards it: from the client address `from`. */
export async function callReplica(replicas: readonly ServiceProcess[], replica: number, path: string, from: string, init: RequestInit = {}): Promise<ReplicaAnswer> {
  const headers = { 'x-forwarded-for': from, ...(init.headers as Record<string, string>) };
  const answer = await fetch(`${replicas[replica]?.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(20_000) });
  const text = await answer.text();
  return { replica, status: answer.status, headers: answer.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The documented 429: problem+json naming the scope and its limit, with a Retry-After to wait. */
export function expectRateLimitRefusals(refused: readonly ReplicaAnswer[], scope: string, limit: number): void {
  for (const answer of refused) {
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 429, code: 'GATEWAY_RATE_LIMITED', scope, limit });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }
}

/** The RateLimit-Remaining values the admitted answers carried, lowest first: N-1 … 0 once each when every admission saw its own count. */
export function remainingSeen(admitted: readonly ReplicaAnswer[]): number[] {
  return admitted.map((answer) => Number(answer.headers.get('ratelimit-remaining'))).sort((a, b) => a - b);
}
