import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { callerSamplingFrom, samplerFrom } from '../src/tracing/trace-sampler.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

function parent(sampled: boolean, isRemote: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote });
}

function decision(env: Record<string, string>, callerSampling: 'follow' | 'decide', parentContext: Context): SamplingDecision {
  return samplerFrom(env, () => {}, callerSampling).shouldSample(parentContext, traceId, 'GET /x', SpanKind.SERVER, {}, []).decision;
}

describe('whether a caller\'s sampled flag decides (TRACE_CALLER_SAMPLING)', () => {
  it('defaults to decide at the edge (the gateway) and to follow elsewhere', () => {
    expect(callerSamplingFrom({}, true, () => {})).toBe('decide');
    expect(callerSamplingFrom({}, false, () => {})).toBe('follow');
    expect(callerSamplingFrom({ TRACE_CALLER_SAMPLING: 'follow' }, true, () => {})).toBe('follow');
    const warnings: string[] = [];
    expect(callerSamplingFrom({ TRACE_CALLER_SAMPLING: 'maybe' }, true, (message) => warnings.push(message))).toBe('decide');
    expect(warnings).toHaveLength(1);
  });

  it('decide: a caller\'s -00 does not switch tracing off, nor its -01 past the sampler; the trace id is kept', () => {
    expect(decision({}, 'decide', parent(false, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decision({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 'decide', parent(true, true))).toBe(SamplingDecision.NOT_RECORD);
    expect(decision({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, 'decide', parent(true, true))).toBe(SamplingDecision.NOT_RECORD);
  });

  it('decide still follows a parent in the same process (the request span\'s children)', () => {
    expect(decision({}, 'decide', parent(false, false))).toBe(SamplingDecision.NOT_RECORD);
    expect(decision({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 'decide', parent(true, false))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('follow: the caller\'s flag decides, as parent-based samplers do', () => {
    expect(decision({}, 'follow', parent(false, true))).toBe(SamplingDecision.NOT_RECORD);
    expect(decision({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 'follow', parent(true, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
