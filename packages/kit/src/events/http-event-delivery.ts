import type { ServiceTokenSource } from '../auth/service-credentials.js';
import type { HttpClient } from '../http/http-client.js';
import type { UrlSource } from '../http/url-source.js';

/**
 * Delivers a batch to a consumer's inbox endpoint (`POST {events: [...]}`) as this service.
 * Anything but 2xx is a failure to retry: the consumer is down, starting or refusing for now.
 * `url` is the inbox's whole URL, or a function giving it at each delivery (one of the consumer's
 * instances).
 */
export function httpEventDelivery(options: { http: HttpClient; url: UrlSource; tokens: ServiceTokenSource; timeoutMs?: number }) {
  return async (batches: readonly string[]): Promise<void> => {
    const url = typeof options.url === 'string' ? options.url : options.url();
    // `{"events":[…]}` assembled from the batches' JSON arrays, without parsing them.
    const events = batches.map((batch) => batch.slice(1, -1)).filter((inner) => inner !== '').join(',');
    const token = await options.tokens.token();
    const answer = await options.http.call(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `{"events":[${events}]}`,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    const text = await answer.text();
    if (answer.status === 401) options.tokens.refused(token);
    if (answer.status < 200 || answer.status >= 300) throw new Error(`${url} answered ${answer.status}: ${text.slice(0, 300)}`);
  };
}
