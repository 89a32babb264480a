import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { traceContextFor } from '../src/index.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Whether OpenTelemetry's propagator (tracing on) continues the header's trace. */
function openTelemetryContinues(header: string): boolean {
  const extracted = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent: header }, { get: (carrier, key) => carrier[key as 'traceparent'], keys: (carrier) => Object.keys(carrier) });
  return trace.getSpanContext(extracted)?.traceId === traceId;
}

describe('a traceparent continues a trace with tracing off exactly when it does with tracing on', () => {
  const headers = {
    valid: `00-${traceId}-00f067aa0ba902b7-01`,
    'not sampled': `00-${traceId}-00f067aa0ba902b7-00`,
    'uppercase hex (invalid in W3C)': `00-${traceId.toUpperCase()}-00F067AA0BA902B7-01`,
    'uppercase flags': `00-${traceId}-00f067aa0ba902b7-0A`,
    'version ff': `ff-${traceId}-00f067aa0ba902b7-01`,
    'version 00 with more fields': `00-${traceId}-00f067aa0ba902b7-01-extra`,
    'a later version with more fields': `01-${traceId}-00f067aa0ba902b7-01-extra`,
    'zero parent': `00-${traceId}-0000000000000000-01`,
  };

  for (const [name, header] of Object.entries(headers)) {
    it(name, () => {
      expect(traceContextFor(header).traceId === traceId).toBe(openTelemetryContinues(header));
    });
  }

  it('uppercase hex starts a new trace (the kit used to lower-case it and continue)', () => {
    const started = traceContextFor(headers['uppercase hex (invalid in W3C)']);
    expect(started.traceId).not.toBe(traceId);
    expect(started.continued).not.toBe(true);
    expect(traceContextFor(headers.valid).continued).toBe(true);
  });
});
