import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-node';
import type { Environment } from '../config/env-file.js';

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` name (the OpenTelemetry
 * specification's values), read from the service's environment so `.env.local` counts too.
 * Default: parentbased_always_on — a request the caller sampled is sampled here as well.
 */
export function samplerFrom(env: Environment, warn: (message: string) => void): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  const ratio = (): number => {
    const value = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
    if (env.OTEL_TRACES_SAMPLER_ARG !== undefined && Number.isFinite(value) && value >= 0 && value <= 1) return value;
    if (env.OTEL_TRACES_SAMPLER_ARG !== undefined) warn(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; sampling everything`);
    return 1;
  };
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      warn(`OTEL_TRACES_SAMPLER=${name} is not supported here; using parentbased_always_on`);
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
