import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { redactedUrl } from '../http/access-log.js';

/**
 * Whether an attribute can carry a request's url or query: every `url.*` (url.full, url.path,
 * url.query …), the older `http.url` / `http.target` / `http.route`, any `*.url`, and an
 * exception's message (Fastify's own errors quote the url). @fastify/otel sets `url.path` from
 * `request.url`, query included; the undici instrumentation sets `url.full` and `url.query`.
 */
function mayCarryUrl(key: string): boolean {
  return key.startsWith('url.') || key === 'http.url' || key === 'http.target' || key === 'http.route' || key.endsWith('.url') || key === 'exception.message';
}

function redactedValue(key: string, value: string): string {
  // url.query is the query alone, with or without its `?` depending on the instrumentation.
  if (key === 'url.query' && !value.startsWith('?')) return redactedUrl(`?${value}`).slice(1);
  return value.includes('?') ? redactedUrl(value) : value;
}

function redactAttributes(attributes: Record<string, unknown>): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string' && mayCarryUrl(key)) attributes[key] = redactedValue(key, value);
  }
}

/**
 * Applies the access log's rule (the values of credential query parameters become `[redacted]`)
 * to the url-bearing attributes of every span, whichever instrumentation made it, before the
 * span reaches the processors after it (the batch processor that exports it). The span's
 * `attributes` and its events' are plain objects the SDK hands on as they are: rewriting them is
 * what the exporter then sees.
 */
export class UrlRedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    redactAttributes(span.attributes as Record<string, unknown>);
    for (const event of span.events) if (event.attributes) redactAttributes(event.attributes as Record<string, unknown>);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
