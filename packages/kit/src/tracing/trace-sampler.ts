import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-node';
import type { Environment } from '../config/env-file.js';

/** Whether a caller's `traceparent` sampled flag decides for this service, or its own sampler does. */
export type CallerSampling = 'follow' | 'decide';

/**
 * `TRACE_CALLER_SAMPLING`: `decide` at the edge (the gateway) by default — a caller outside the
 * platform must not switch tracing off for its requests with `-00` (nor force it on with `-01`
 * past a ratio); `follow` elsewhere, where the caller is the gateway or another service whose
 * decision should hold for the whole trace. The caller's trace id is kept either way.
 */
export function callerSamplingFrom(env: Environment, edge: boolean, warn: (message: string) => void): CallerSampling {
  const value = env.TRACE_CALLER_SAMPLING?.trim().toLowerCase();
  if (value === 'follow' || value === 'decide') return value;
  const fallback = edge ? 'decide' : 'follow';
  if (value !== undefined && value !== '') warn(`TRACE_CALLER_SAMPLING must be follow or decide; using ${fallback}`);
  return fallback;
}

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` name (the OpenTelemetry
 * specification's values), read from the service's environment so `.env.local` counts too.
 * Default: parentbased_always_on — a request the caller sampled is sampled here as well. With
 * `callerSampling` `decide`, a parent-based sampler asks its root sampler for requests whose
 * parent came from another process too, as if they had none (local parents are still followed).
 */
export function samplerFrom(env: Environment, warn: (message: string) => void, callerSampling: CallerSampling = 'follow'): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  const ratio = (): number => {
    const value = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
    if (env.OTEL_TRACES_SAMPLER_ARG !== undefined && Number.isFinite(value) && value >= 0 && value <= 1) return value;
    if (env.OTEL_TRACES_SAMPLER_ARG !== undefined) warn(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; sampling everything`);
    return 1;
  };
  const parentBased = (root: Sampler): Sampler =>
    callerSampling === 'decide' ? new ParentBasedSampler({ root, remoteParentSampled: root, remoteParentNotSampled: root }) : new ParentBasedSampler({ root });
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_off':
      return parentBased(new AlwaysOffSampler());
    case 'parentbased_traceidratio':
      return parentBased(new TraceIdRatioBasedSampler(ratio()));
    case 'parentbased_always_on':
      return parentBased(new AlwaysOnSampler());
    default:
      warn(`OTEL_TRACES_SAMPLER=${name} is not supported here; using parentbased_always_on`);
      return parentBased(new AlwaysOnSampler());
  }
}
