import type { ShipResult } from './log-shipper.js';

/** How the request ids of the shipper's own batches start. */
export const shipperRequestIdPrefix = 'lift-log-shipper-';

/** The log shipper's access token (the kit's service token source, client `log-shipper`). */
export interface ShipperTokens {
  token(): Promise<string>;
  refused(token: string): void;
}

/**
 * Sends one batch to observability's `POST /v1/logs` as NDJSON and says what became of it, in the
 * terms the shipper acts on (see the log API contract in docs/api/observability-service.md).
 */
export function observabilityLogSender(options: { readonly observabilityUrl: string; readonly tokens: ShipperTokens; readonly timeoutMs?: number }) {
  const url = `${options.observabilityUrl.replace(/\/$/, '')}/v1/logs`;
  let sent = 0;
  return async (lines: readonly string[]): Promise<ShipResult> => {
    sent += 1;
    let token: string;
    try {
      token = await options.tokens.token();
    } catch (error) {
      return { kind: 'failed', reason: `no log-shipper token: ${(error as Error).message}` };
    }
    const response = await fetch(url, {
      method: 'POST',
      // Observability logs its handling of the batch under this id: the sinks keep those lines back.
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'x-request-id': `${shipperRequestIdPrefix}${process.pid}-${sent}` },
      body: `${lines.join('\n')}\n`,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (response.status === 202 || response.status === 200) {
      const rejected = (() => {
        try {
          const body = JSON.parse(text) as { rejected?: unknown };
          return Array.isArray(body.rejected) ? body.rejected.length : 0;
        } catch {
          return 0;
        }
      })();
      return { kind: 'accepted', rejected };
    }
    const reason = `observability answered ${response.status}`;
    if (response.status === 429 || response.status === 503) return { kind: 'retry-after', delayMs: retryAfterMs(response.headers.get('retry-after')), reason };
    if (response.status === 401) options.tokens.refused(token);
    if (response.status === 413 || response.status === 400) return { kind: 'refused', reason: `${reason}: ${text.slice(0, 200)}` };
    return { kind: 'failed', reason };
  };
}

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable, at most a minute. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null) return 1_000;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1_000 : Date.parse(header) - now;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 60_000) : 1_000;
}
