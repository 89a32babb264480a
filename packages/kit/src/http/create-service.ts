import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/base-config.js';
import { systemClock, type Clock } from '../clock.js';
import { AccessLogController } from './access-log.js';
import { installCors } from './cors.js';
import { corsOriginsFrom } from './cors-origins.js';
import { installErrorHandling } from './error-handler.js';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors.js';
import { healthPlugin } from './health-plugin.js';
import { kitErrorCodes } from '../errors.js';
import { sendProblem } from './problem-details.js';
import { metricsPlugin } from './metrics-plugin.js';
import { LazyRequestLogger } from './lazy-request-logger.js';
import { openApiPlugin } from './openapi-plugin.js';
import { requestIdFor, requestIdHeader } from './request-id.js';
import { traceContextFor, type TraceContext } from './trace-context.js';
import { installValidatorCompilers } from './validator-compilers.js';
import type { ServiceTracing } from '../tracing/service-tracing.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** W3C trace context of this request; the kit's HTTP client passes it on. */
    trace: TraceContext;
  }
}

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServiceIdentity {
  readonly name: string;
  readonly version: string;
  /** One paragraph for the OpenAPI document. */
  readonly description: string;
  /** What each tag of its routes groups, for the OpenAPI document (the kit's `health` is added). */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateServiceOptions {
  readonly identity: ServiceIdentity;
  readonly config: Pick<BaseConfig, 'BODY_LIMIT_BYTES' | 'CORS_ORIGINS'> & Partial<Pick<BaseConfig, 'TRUSTED_PROXIES'>>;
  readonly log: Logger;
  readonly clock?: Clock;
  /**
   * What /openapi.json and /docs serve instead of the service's own generated document, which it
   * is given (`app.swagger()`). The gateway serves the whole platform's document this way.
   */
  readonly openApiDocument?: (own: object) => Promise<object>;
  /** OpenTelemetry (`deps.tracing`): server spans for every route, their trace id in the logs. */
  readonly tracing?: ServiceTracing | undefined;
}

/** What an answer that was never sent is logged and counted as: nginx's "client closed request". */
const clientClosedRequest = 499;

/**
 * A Fastify instance with everything a Lift service shares: request id and trace context,
 * one access-log line per request, problem+json errors, strict body validation, CORS,
 * /health, /ready, /metrics, /openapi.json and /docs. The service registers its routes on it.
 */
export async function createService(options: CreateServiceOptions): Promise<ServiceApp> {
  const { identity, config, log } = options;
  const traces = new WeakMap<IncomingMessage, TraceContext>();
  const accessLog = new AccessLogController(log);

  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps the app's generics plain.
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // request.ip is the client's address only when the hop in front is a proxy we run (the gateway).
    trustProxy: config.TRUSTED_PROXIES ? config.TRUSTED_PROXIES : false,
    genReqId: requestIdFor,
    logController: accessLog,
    // Refusals made before routing answer problem+json too (see framework-errors.ts).
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: clientErrorHandler(log),
    // Fastify's own 503 while closing is plain JSON; the onRequest hook below answers instead.
    return503OnClosing: false,
    childLoggerFactory: (logger, bindings, childOptions, rawRequest) => {
      const trace = traceContextFor((rawRequest as IncomingMessage).headers.traceparent);
      traces.set(rawRequest as IncomingMessage, trace);
      return new LazyRequestLogger(logger, { ...bindings, traceId: trace.traceId }, childOptions);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('trace', null as unknown as TraceContext);
  app.decorateRequest('matchedRouteConfig', undefined);
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    // A keep-alive connection whose answer is still being written when the service starts closing
    // would otherwise idle for the whole keep-alive timeout (72 s) before close() could finish.
    app.server.keepAliveTimeout = 1;
    done();
  });
  // Callback-style hooks on every request: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    request.trace = traces.get(request.raw) ?? traceContextFor(undefined);
    reply.header(requestIdHeader, request.id);
    const response = reply.raw;
    // Fastify counts and logs an answer on its 'finish' or 'error', and nothing else. Flags, not
    // `writableFinished`/`errored`: inject's answers never read as finished, and a response
    // destroyed with an error is `errored` without emitting 'error'.
    let accounted = false;
    const accountedByFastify = (): void => {
      accounted = true;
    };
    response.once('finish', accountedByFastify);
    response.once('error', accountedByFastify);
    response.once('close', () => {
      if (accounted) return;
      const status = response.headersSent ? response.statusCode : clientClosedRequest;
      app.countIncompleteAnswer(request, status);
      accessLog.requestIncomplete(request, reply, status);
    });
    if (!closing) return done();
    // A request on a keep-alive connection while the server closes: refused, as Fastify would, but as a problem.
    reply.header('connection', 'close');
    void sendProblem(request, reply, { status: 503, code: kitErrorCodes.shuttingDown, title: 'Service unavailable', detail: `${identity.name} is shutting down; send the request again.` });
  });
  // After the hook above (its span replaces request.trace) and before any route (it wraps them).
  if (options.tracing) await app.register(options.tracing.fastifyPlugin);

  installValidatorCompilers(app);
  // Every API body is JSON: Fastify's built-in text/plain parser would hand a route a string that
  // fails validation as a 400, where a body of the wrong type is a 415 (docs/api/errors.md).
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app, config.BODY_LIMIT_BYTES);
  installCors(app, {
    origins: corsOriginsFrom(config.CORS_ORIGINS),
    exposedHeaders: [requestIdHeader, 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
  });
  await app.register(openApiPlugin, { service: identity.name, version: identity.version, description: identity.description, ...(identity.tags ? { tags: identity.tags } : {}), ...(options.openApiDocument ? { document: options.openApiDocument } : {}) });
  await app.register(metricsPlugin, { service: identity.name });
  await app.register(healthPlugin, { service: identity.name, version: identity.version, clock: options.clock ?? systemClock });
  // Answers finished during a drain close their keep-alive connection; otherwise an idle client
  // connection keeps the server open until the shutdown deadline kills it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (app.readiness.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
  return app;
}
