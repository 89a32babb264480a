import { context, diag, DiagLogLevel, propagation, trace, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { Environment } from '../config/env-file.js';
import { LazyRequestLogger } from '../http/lazy-request-logger.js';
import { instrumentDatabaseClients } from './database-instrumentation.js';
import { otlpSettingsFrom, type OtlpSettings } from './otlp-settings.js';
import type { ServiceTracing, TracingTarget } from './service-tracing.js';
import { callerSamplingFrom, samplerFrom } from './trace-sampler.js';
import { UrlRedactingSpanProcessor } from './url-redacting-span-processor.js';
import { matchedRoute } from '../http/matched-route.js';

/**
 * The OpenTelemetry SDK for one service process, instrumented in ways that survive bundling
 * (esbuild inlines fastify, undici, pg and ioredis, so patching them on `require` would see
 * nothing): `@fastify/otel` registered as a plugin by createService, undici through its
 * diagnostics channels (which Node's own fetch publishes on too), and pg and ioredis patched on
 * the very classes the kit uses. Loaded only when an OTLP endpoint is configured.
 */
export async function startOpenTelemetry(target: TracingTarget): Promise<ServiceTracing> {
  const { env, log } = target;
  const warn = (message: string): void => log.warn(message);
  // The SDK reports failed exports through its diagnostic logger; without one they vanish.
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ details: args }, `opentelemetry: ${message}`),
      warn: (message, ...args) => log.warn({ details: args }, `opentelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const settings = otlpSettingsFrom(env, warn);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || target.service, [ATTR_SERVICE_VERSION]: target.version }),
    sampler: samplerFrom(env, warn, callerSamplingFrom(env, target.edge === true, warn)),
    spanLimits: { attributeValueLengthLimit: attributeValueLengthLimitFrom(env) },
    // Redaction first: the batch processor queues the span as the processors before it left it.
    spanProcessors: [new UrlRedactingSpanProcessor(), new BatchSpanProcessor(exporterFor(settings), batchSettingsFrom(env))],
  });
  // The global tracer provider, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();

  const undici = new UndiciInstrumentation();
  undici.setTracerProvider(provider);
  const databases = await instrumentDatabaseClients(provider);
  const fastify = new FastifyOtelInstrumentation({
    // A span per request and one for its handler; a span for every hook of every request would
    // multiply the cost on the gateway, whose hooks are its features.
    instrumentHooks: false,
    requestHook: (span, request) => adoptRequestSpan(span, request as FastifyRequest),
  });
  fastify.setTracerProvider(provider);
  log.info({ endpoint: settings.url, protocol: settings.protocol }, 'exporting traces');

  return {
    fastifyPlugin: fastify.plugin() as unknown as FastifyPluginCallback,
    close: async () => {
      undici.disable();
      fastify.disable();
      databases.disable();
      try {
        await provider.shutdown();
      } catch (error) {
        log.warn({ err: error }, 'the last spans could not be exported');
      }
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}

/**
 * The request's server span becomes its trace context: the log lines carry the span's trace id
 * (the same as before when the caller sent a traceparent, the span's new one otherwise), and
 * outgoing calls are left to the undici instrumentation, which names its client span as their
 * parent — a traceparent added by the kit as well would send the header twice.
 */
function adoptRequestSpan(span: Span, request: FastifyRequest): void {
  const { traceId, spanId, traceFlags } = span.spanContext();
  const route = matchedRoute(request).url;
  if (route !== undefined) span.updateName(`${request.method} ${route}`);
  request.trace = { traceId, spanId, flags: (traceFlags & 1) === 1 ? '01' : '00', carried: true };
  // The request's logger is made lazily; until something logs through it, its bindings can follow.
  if (request.log instanceof LazyRequestLogger) request.log.retrace(traceId);
}

function exporterFor(settings: OtlpSettings): SpanExporter {
  const options = { url: settings.url, headers: settings.headers };
  return settings.protocol === 'http/json' ? new JsonTraceExporter(options) : new ProtobufTraceExporter(options);
}

/**
 * The standard variables, from the service's environment; 2048 characters when neither is set
 * (the SDK's own default is no limit), so a queue of spans for requests with huge urls stays small.
 */
function attributeValueLengthLimitFrom(env: Environment): number {
  for (const variable of ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'] as const) {
    const value = Number(env[variable]);
    if (env[variable] !== undefined && env[variable].trim() !== '' && Number.isInteger(value) && value >= 0) return value;
  }
  return defaultAttributeValueLengthLimit;
}

const defaultAttributeValueLengthLimit = 2048;

/** The batch processor's standard variables, from the service's environment. */
function batchSettingsFrom(env: Environment): { scheduledDelayMillis?: number; maxQueueSize?: number; maxExportBatchSize?: number; exportTimeoutMillis?: number } {
  const settings: Record<string, number> = {};
  const numbers = { scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY', maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE', maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT' } as const;
  for (const [key, variable] of Object.entries(numbers)) {
    const value = Number(env[variable]);
    if (env[variable] !== undefined && Number.isFinite(value) && value >= 0) settings[key] = value;
  }
  return settings;
}
