import type { FastifyPluginCallback } from 'fastify';
import type { Logger } from 'pino';
import type { Environment } from '../config/env-file.js';

/** OpenTelemetry for one service process: present only when an OTLP endpoint is configured. */
export interface ServiceTracing {
  /** Server spans for the app's requests (`@fastify/otel`); createService registers it before any route. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** Exports the spans still buffered and stops the exporter. */
  close(): Promise<void>;
}

export interface TracingTarget {
  readonly service: string;
  readonly version: string;
  readonly env: Environment;
  readonly log: Logger;
  /** The service takes requests from outside the platform (the gateway): see `TRACE_CALLER_SAMPLING`. */
  readonly edge?: boolean;
}

/** Whether the environment asks for traces to be exported (OTLP endpoint set, SDK not disabled). */
export function tracingWanted(env: Environment): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return endpoint !== undefined && endpoint.trim() !== '' && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true' && env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() !== 'none';
}

/**
 * Starts the OpenTelemetry SDK when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; otherwise resolves to
 * undefined without loading any of it (a service without tracing does not pay its import cost,
 * and the bundle keeps it in a chunk of its own, read only here).
 */
export async function startTracing(target: TracingTarget): Promise<ServiceTracing | undefined> {
  if (!tracingWanted(target.env)) return undefined;
  const { startOpenTelemetry } = await import('./open-telemetry.js');
  return startOpenTelemetry(target);
}
