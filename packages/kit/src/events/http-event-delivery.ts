import type { ServiceTokenSource } from '../auth/service-credentials.js';
import type { HttpClient } from '../http/http-client.js';
import type { EventRecord } from './event-sink.js';

/**
 * Delivers a batch to a consumer's inbox endpoint (`POST {events: [...]}`) as this service.
 * Anything but 2xx is a failure to retry: the consumer is down, starting or refusing for now.
 */
export function httpEventDelivery(options: { http: HttpClient; url: string; tokens: ServiceTokenSource; timeoutMs?: number }) {
  return async (events: readonly EventRecord[]): Promise<void> => {
    const answer = await options.http.call(options.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await options.tokens.token()}` },
      json: { events },
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    const text = await answer.text();
    if (answer.status < 200 || answer.status >= 300) throw new Error(`${options.url} answered ${answer.status}: ${text.slice(0, 300)}`);
  };
}
