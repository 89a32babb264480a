import type { FastifyInstance } from 'fastify';
import { buildConnector } from 'undici';
import { addressPolicyFrom, authPlugin, createService, guardedConnector, InProcessState, serviceClientSecrets, serviceTokenSource, serviceTokenVerifier, type HostResolver, type ServiceApp, type ServiceDeps } from '@lift/kit';
import { Counter } from 'prom-client';
import { apiKeyExchange } from './api-key-exchange.js';
import { applyRevocations, revocationStream, revokeApiKey } from './revocation-events.js';
import { revocationInboxRoute } from './revocation-inbox-route.js';
import { followRevocationStream } from './revocation-stream-follower.js';
import { revocationHoldMs, RevokedApiKeys } from './revoked-api-keys.js';
import { hostList, installHardening } from './hardening.js';
import { edgeGuard } from './edge-guard.js';
import { slidingWindowLimiter } from './rate-limiter.js';
import type { GatewayConfig } from './config.js';
import { healthDetailedRoute } from './health-detailed.js';
import { gatewayIdentity } from './service-identity.js';
import { platformOpenApi } from './platform-openapi.js';
import { tlsCredentialsFrom } from './tls-config.js';
import { serveTlsAlongside } from './tls-listener.js';
import { moduleForwarder } from './module-routes.js';
import { ModuleTable } from './module-table.js';
import { moduleTokenExchange } from './module-token-exchange.js';
import { edgeRoutes } from './edge-routes.js';
import { serviceForwarder } from './proxy-routes.js';
import { publicRouteTable } from './public-route-table.js';
import { serviceDocuments } from './service-documents.js';
import { followRouteTable } from './route-table-follower.js';
import { upstreamMetrics } from './upstream-metrics.js';
import { upstreamInstanceMetrics } from './upstream-instance-metrics.js';
import { probeInstances } from './instance-readiness-probes.js';
import { UpstreamResilience } from './upstream-resilience.js';
import { startUsageMetering } from './usage-metering-setup.js';
import { coreUpstreams, outlierSettingsOf, type Upstream } from './upstreams.js';
import { OutlierDetection } from './outlier-detection.js';
import { oauthMetadataRoute } from './oauth-metadata-route.js';
import { oauthErrorsAtTokenEndpoint } from './oauth-error-format.js';
import { OpenStreams } from './open-streams.js';
import { loadConsoleFiles } from './console-files.js';
import { consoleRoute } from './console-route.js';

export type GatewayDeps = ServiceDeps<GatewayConfig> & {
  /** Resolves module host names at connection time (the system resolver; tests inject their own). */
  readonly resolveModuleHost?: HostResolver;
  /**
   * Ordinary answers written straight to the client's socket (see `relayAnswer`); by default
   * unless tracing is on, whose server span ends in an onSend hook. Tests run both ways.
   */
  readonly directRelay?: boolean;
};

export async function buildApp(deps: GatewayDeps): Promise<ServiceApp> {
  const { config } = deps;
  // Read and checked before anything starts: a bad TLS_* setting is a configuration error.
  const tls = tlsCredentialsFrom(config);
  // One verifier (and one cache of verified tokens) for the edge and the module routes; before
  // anything is built, as a missing or short HS256 secret is a configuration error too.
  // Each *_SERVICE_URL may list several instances: checked here too, before anything starts.
  const upstreams = coreUpstreams(config, deps.clock);
  const auth = upstreams.find((upstream) => upstream.name === 'auth') as Upstream;
  const registry = upstreams.find((upstream) => upstream.name === 'registry') as Upstream;
  const billing = upstreams.find((upstream) => upstream.name === 'billing') as Upstream;
  // The gateway's own calls to auth and the registry go to an available instance, chosen at each call.
  const authOrigin = () => auth.origin;
  const verifier = serviceTokenVerifier(config, deps.clock, authOrigin);
  const modulePolicy = addressPolicyFrom(config.MODULE_URL_ALLOWED_NETWORKS);
  // One set of the services' documents for the merged /openapi.json and the public-route table.
  const documents = serviceDocuments({ services: upstreams, http: deps.http, clock: deps.clock, log: deps.log });
  const platformDocs = platformOpenApi({ services: upstreams, documents, version: gatewayIdentity.version });
  const app = await createService({ identity: gatewayIdentity, config, log: deps.log, clock: deps.clock, openApiDocument: platformDocs.document, tracing: deps.tracing });
  if (tls) serveTlsAlongside(app, { cert: tls.cert, key: tls.key, host: config.HOST, port: tls.port, log: deps.log });
  app.decorateRequest('upstream', undefined);
  app.decorateRequest('edge', undefined);
  installHardening(app, { allowedHosts: hostList(config.ALLOWED_HOSTS), internalHosts: hostList(config.INTERNAL_HOSTS), forceHttps: config.FORCE_HTTPS });
  const modules = new ModuleTable({
    connections: config.UPSTREAM_CONNECTIONS,
    connect: guardedConnector({
      buildConnector,
      policy: modulePolicy,
      timeout: config.UPSTREAM_CONNECT_TIMEOUT_MS,
      ...(deps.resolveModuleHost ? { resolve: deps.resolveModuleHost } : {}),
      onRefused: (host, problem) => deps.log.warn({ host, problem }, 'refused to connect to a module: its address is not allowed'),
    }),
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    outliers: new OutlierDetection(outlierSettingsOf(config), deps.clock),
    balancing: config.UPSTREAM_BALANCING,
  });
  const consoleFiles = loadConsoleFiles(config.CONSOLE_DIR);
  if (!consoleFiles) deps.log.warn({ dir: config.CONSOLE_DIR }, 'no built console in CONSOLE_DIR: /console answers 503 until the gateway restarts with one (npm install builds it)');
  await consoleRoute(app, consoleFiles);
  await healthDetailedRoute(app, { services: upstreams, modules, http: deps.http, clock: deps.clock });
  const resilience = new UpstreamResilience(
    {
      breaker: { failureThreshold: config.CIRCUIT_BREAKER_FAILURES, cooldownMs: config.CIRCUIT_BREAKER_COOLDOWN_MS },
      maxRetries: config.UPSTREAM_RETRIES,
      retryRatio: config.RETRY_BUDGET_RATIO,
    },
    deps.clock,
    upstreamMetrics(app.metrics),
  );
  const instanceMetrics = upstreamInstanceMetrics(app.metrics, upstreams.map((upstream) => upstream.instances));
  for (const upstream of upstreams) upstream.instances.reportTo(instanceMetrics);
  const instanceProbes = probeInstances(upstreams.map((upstream) => upstream.instances), { http: deps.http, clock: deps.clock, intervalMs: config.UPSTREAM_PROBE_INTERVAL_MS });
  const openStreams = new OpenStreams();
  // preClose comes after SHUTDOWN_DELAY_MS, before the listener waits for its connections: a relayed
  // event stream never ends by itself and would hold the close until the forced exit.
  app.addHook('preClose', (done) => {
    const ended = openStreams.endAll();
    if (ended > 0) deps.log.info({ streams: ended }, 'ended the event streams in relay: the gateway is closing');
    done();
  });
  const limits = { timeoutMs: config.UPSTREAM_TIMEOUT_MS, bodyLimitBytes: config.BODY_LIMIT_BYTES, resilience, openStreams, directRelay: deps.directRelay ?? deps.tracing === undefined };
  await oauthMetadataRoute(app, { auth, limits });
  await app.register(authPlugin, { verifier });

  // Revocations from auth: over the Redis stream (every replica reads all of it), or posted to
  // the inbox by auth's outbox relay when there is no Redis.
  const apiKeys = apiKeyExchange({ http: deps.http, authUrl: authOrigin, clock: deps.clock });
  const revocationTargets = { apiKeys, revoked: new RevokedApiKeys(deps.clock), log: deps.log, clock: deps.clock };
  await revocationInboxRoute(app, revocationTargets);
  const revocationFollower =
    deps.state.kind === 'redis' ? followRevocationStream({ state: deps.state, stream: revocationStream, log: deps.log, clock: deps.clock, replayMs: revocationHoldMs, apply: (events) => applyRevocations(events, revocationTargets) }) : undefined;

  const guard = edgeGuard({
    verifier,
    apiKeys,
    revokedApiKeys: revocationTargets.revoked,
    limiter: slidingWindowLimiter(deps.state, deps.clock),
    fallbackLimiter: slidingWindowLimiter(new InProcessState(deps.clock), deps.clock),
    limits: {
      perIp: { limit: config.RATE_LIMIT_PER_IP, windowMs: config.RATE_LIMIT_WINDOW_MS },
      perOrganisation: { limit: config.RATE_LIMIT_PER_ORG, windowMs: config.RATE_LIMIT_WINDOW_MS },
      credentialsPerIp: { limit: config.RATE_LIMIT_CREDENTIALS_PER_IP, windowMs: config.RATE_LIMIT_WINDOW_MS },
      routeOverrides: config.RATE_LIMIT_ROUTE_OVERRIDES.split(',').filter((entry) => entry !== '').map((entry) => {
        const separator = entry.lastIndexOf(':');
        return { prefix: entry.slice(0, separator), limit: Number(entry.slice(separator + 1)) };
      }),
    },
    publicRoutes: publicRouteTable(documents),
    log: deps.log,
    clock: deps.clock,
    storeFailures: new Counter({ name: 'gateway_rate_limit_store_failures_total', help: 'Rate-limit checks that fell back to the per-replica limiter because the shared store failed', registers: [app.metrics] }),
  });

  const secret = serviceClientSecrets(config.SERVICE_CLIENT_SECRETS).get('gateway');
  const tokens = secret ? serviceTokenSource({ http: deps.http, authUrl: authOrigin, clientId: 'gateway', clientSecret: secret, clock: deps.clock }) : undefined;
  if (!tokens) deps.log.warn('SERVICE_CLIENT_SECRETS has no secret for the gateway: module routes (/modules/*), usage metering and quotas stay off');

  const metering = tokens && config.USAGE_METERING ? await startUsageMetering(deps, tokens, app.metrics, () => billing.origin) : undefined;

  await app.register(async (scope: FastifyInstance) => {
    // Bodies stream through untouched: the gateway never parses them, the upstream validates them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    oauthErrorsAtTokenEndpoint(scope);
    scope.addHook('preHandler', guard);
    if (metering) scope.addHook('preHandler', metering.hook);
    // Without the gateway's secret there is no route table either: module routes answer 503.
    const moduleTokens = secret ? moduleTokenExchange({ http: deps.http, authUrl: authOrigin, clientId: 'gateway', clientSecret: secret, clock: deps.clock }) : undefined;
    // A key revoked through this gateway is refused here at once, before auth's event arrives.
    const apiKeyRevoked = (apiKeyId: string) => revokeApiKey(apiKeyId, 'revoked through this gateway', revocationTargets);
    await edgeRoutes(scope, { upstreams, toService: serviceForwarder(limits, { apiKeyRevoked }), toModule: moduleForwarder({ table: modules, moduleTokens, ...limits }) });
  });
  // The public-route table is checked at start: every service's document is fetched once the gateway listens.
  app.addHook('onListen', (done) => {
    void documents.refresh();
    done();
  });

  const follower = tokens
    ? followRouteTable({
        table: modules,
        registryUrl: () => registry.origin,
        tokens,
        http: deps.http,
        log: deps.log,
        waitMs: config.ROUTE_TABLE_WAIT_MS,
      })
    : undefined;

  app.addHook('onClose', async () => {
    follower?.stop();
    revocationFollower?.stop();
    instanceProbes.stop();
    await Promise.all([...upstreams.map((upstream) => upstream.instances.close()), modules.close()]);
    // Last: events of the requests that just finished are written (stream) or kept (outbox).
    await metering?.close();
  });
  return app;
}
