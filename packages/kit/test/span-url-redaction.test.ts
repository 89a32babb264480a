import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { UrlRedactingSpanProcessor } from '../src/tracing/url-redacting-span-processor.js';

describe('spans lose the values of credential query parameters before export, as the access log does', () => {
  it('rewrites every url-bearing attribute and event attribute, and leaves the others alone', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new UrlRedactingSpanProcessor(), new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('test').startSpan('GET', {
      kind: SpanKind.CLIENT,
      attributes: {
        'url.full': 'http://127.0.0.1:1/openapi.json?api_key=SECRETKEYQ&code=SECRETCODE&page=2',
        'url.path': '/openapi.json?client_secret=SECRETCS&password=SECRETPW',
        'url.query': 'token=SECRETTOKEN&page=2',
        'http.target': '/x?Access_Token=SECRETAT',
        'http.url': 'http://h/x?refresh_token=SECRETRT',
        'db.statement': 'SELECT 1 WHERE a = ? AND code=3',
        'user_agent.original': 'agent?key=visible',
      },
    });
    span.setAttribute('url.original', '/later?%6Bey=SECRETENCODED');
    span.addEvent('exception', { 'exception.message': 'Route GET:/x?secret=SECRETMSG not found' });
    span.end();
    await provider.forceFlush();

    const [exported] = exporter.getFinishedSpans();
    expect(exported?.attributes).toEqual({
      'url.full': 'http://127.0.0.1:1/openapi.json?api_key=[redacted]&code=[redacted]&page=2',
      'url.path': '/openapi.json?client_secret=[redacted]&password=[redacted]',
      'url.query': 'token=[redacted]&page=2',
      'http.target': '/x?Access_Token=[redacted]',
      'http.url': 'http://h/x?refresh_token=[redacted]',
      'db.statement': 'SELECT 1 WHERE a = ? AND code=3',
      'user_agent.original': 'agent?key=visible',
      'url.original': '/later?%6Bey=[redacted]',
    });
    expect(JSON.stringify(exported?.events)).not.toContain('SECRETMSG');
    expect(exported?.events[0]?.attributes?.['exception.message']).toContain('secret=[redacted]');
    await provider.shutdown();
  });
});
