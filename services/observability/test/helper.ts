import type { Kysely } from 'kysely';
import type { ServiceApp } from '@lift/kit';
import { buildApp, type ObservabilityDeps, type ObservabilityTables } from '../src/app.js';
import { observabilityConfigSchema } from '../src/config.js';
import { observabilityMigrations } from '../src/migrations/index.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import { startServiceUnderTest, type Storage } from '../../../tests/support/service-under-test.js';
import { manualClock, type ManualClock } from '../../../tests/support/manual-clock.js';
import { bearerFor } from '../../../tests/support/test-token.js';

export { backends } from '../../../tests/support/backends.js';

const secret = 'observability tests sign their own HS256 tokens here';

/** The organisation a platform admin's token names (any id: permissions decide, as auth grants them). */
export const platformOrganisation = 'org-platform';

export interface ObservabilityUnderTest {
  readonly app: ServiceApp;
  readonly db: Kysely<ObservabilityTables>;
  readonly storage: Storage;
  readonly logs: Record<string, unknown>[];
  /** The app's clock, at the test epoch until the test moves it. */
  readonly clock: ManualClock;
}

/** The observability app on a fresh database (or `storage`, to restart on earlier tables), ready. */
export async function buildObservability(
  options: { postgres?: boolean; storage?: Storage; env?: Record<string, string>; clock?: ManualClock; deps?: (deps: ObservabilityDeps) => MonitoringDeps } = {},
): Promise<ObservabilityUnderTest> {
  const clock = options.clock ?? manualClock();
  const service = await startServiceUnderTest<typeof observabilityConfigSchema, ObservabilityTables>({
    name: 'observability',
    configSchema: observabilityConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: observabilityMigrations, ...(options.storage ? { storage: options.storage } : {}) },
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...options.env },
    logLevel: 'info',
    clock,
    // No monitor on a timer unless a test asks: it would probe whatever listens on the seed's ports.
    buildApp: (deps) => buildApp(options.deps ? options.deps(deps) : { ...deps, monitorOnTimer: false }),
  });
  return { app: service.app, db: service.db, storage: service.storage, logs: service.logs, clock };
}

/** A platform admin's token (what auth's platform owner role grants here). */
export function platformAdmin(options: { subject?: string } = {}): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions: ['observability:read', 'observability:admin', 'org:admin'], subject: options.subject ?? 'platform-admin-1', lifetimeSeconds: 3600 * 24 * 30 });
}

/** A platform viewer: sees everything, manages nothing. */
export function platformViewer(): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions: ['observability:read'], subject: 'platform-viewer-1', lifetimeSeconds: 3600 * 24 * 30 });
}

/** A tenant's admin in `organisation` (org:admin, no observability permission). */
export function tenantAdmin(organisation = 'org-a'): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions: ['org:admin', 'memory:read'], subject: `admin-of-${organisation}`, lifetimeSeconds: 3600 * 24 * 30 });
}

/** A service calling as itself (`sub` = `svc:<name>`) with `permissions`. */
export function serviceToken(name: string, permissions: readonly string[]): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: platformOrganisation, permissions, subject: `svc:${name}`, lifetimeSeconds: 3600 * 24 * 30 });
}

/** A module's delegated token (`act.sub` = `module:<id>`), acting for a user who holds `permissions`. */
export function moduleToken(moduleId: string, permissions: readonly string[] = []): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation: 'org-a', permissions, subject: 'user-of-org-a', actor: `module:${moduleId}`, lifetimeSeconds: 3600 * 24 * 30 });
}

// --- monitoring (health monitor, status, overview, alerts) ---
import type { ServerResponse } from 'node:http';
import { sendJson, startStandIn, type ReceivedRequest, type StandIn } from '../../../tests/support/stand-in-server.js';
import type { MonitoringDeps } from '../src/monitoring/monitoring-setup.js';

/** How a stand-in for one of the six services answers: a status, or `hang` (past any timeout), or `reset` (the connection drops). */
export type StandInAnswer = number | 'hang' | 'reset';

export interface PlatformStandIn {
  readonly stand: StandIn;
  health: StandInAnswer;
  ready: StandInAnswer;
  /** Its /metrics (the Prometheus text format), as the services' metrics plugin writes it. */
  metrics: string;
  /** Answers other requests (auth's token endpoint, the registry's health summary); true when it did. */
  other: (request: ReceivedRequest, response: ServerResponse) => boolean;
}

const platformServiceNames = ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry'] as const;
const urlSettings: Record<(typeof platformServiceNames)[number], string> = {
  gateway: 'GATEWAY_URL',
  auth: 'AUTH_SERVICE_URL',
  billing: 'BILLING_SERVICE_URL',
  memory: 'MEMORY_SERVICE_URL',
  observability: 'OBSERVABILITY_SERVICE_URL',
  registry: 'REGISTRY_SERVICE_URL',
};

function answer(response: ServerResponse, how: StandInAnswer, body: string, type = 'application/json'): void {
  if (how === 'hang') return;
  if (how === 'reset') return void response.socket?.destroy();
  response.writeHead(how, { 'content-type': type });
  response.end(body);
}

/** Six stand-ins, one per service, healthy and ready until a test changes them; `env` points observability at them. */
export async function startPlatformStandIns(): Promise<{ services: Record<(typeof platformServiceNames)[number], PlatformStandIn>; env: Record<string, string> }> {
  const services = {} as Record<(typeof platformServiceNames)[number], PlatformStandIn>;
  const env: Record<string, string> = {};
  for (const name of platformServiceNames) {
    const standIn: Omit<PlatformStandIn, 'stand'> = { health: 200, ready: 200, metrics: serviceExposition(name, []), other: () => false };
    const stand = await startStandIn((request, response) => {
      if (standIn.other(request, response)) return;
      if (request.url === '/health') return answer(response, standIn.health, '{"status":"ok"}');
      if (request.url === '/ready') return answer(response, standIn.ready, standIn.ready === 200 ? '{"status":"ready"}' : '{"status":"not ready"}');
      if (request.url === '/metrics') return answer(response, 200, standIn.metrics, 'text/plain; version=0.0.4');
      return sendJson(response, 404, {});
    });
    services[name] = Object.assign(standIn, { stand });
    env[urlSettings[name]] = stand.url;
  }
  return { services, env };
}

export interface ExpositionSeries {
  readonly route: string;
  readonly status: number;
  readonly count: number;
  /** Seconds each request took (all the same): which bucket they land in. */
  readonly seconds: number;
}

const expositionBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `http_requests_total` and `http_request_duration_seconds` as the kit's metrics plugin writes them. */
export function serviceExposition(service: string, series: readonly ExpositionSeries[]): string {
  const lines = ['# HELP http_requests_total HTTP requests answered', '# TYPE http_requests_total counter'];
  for (const entry of series) lines.push(`http_requests_total{method="GET",route="${entry.route}",status="${entry.status}",service="${service}"} ${entry.count}`);
  lines.push('# HELP http_request_duration_seconds Time to answer an HTTP request', '# TYPE http_request_duration_seconds histogram');
  for (const entry of series) {
    const labels = `method="GET",route="${entry.route}",status="${entry.status}",service="${service}"`;
    for (const le of expositionBuckets) lines.push(`http_request_duration_seconds_bucket{le="${le}",${labels}} ${entry.seconds <= le ? entry.count : 0}`);
    lines.push(`http_request_duration_seconds_bucket{le="+Inf",${labels}} ${entry.count}`);
    lines.push(`http_request_duration_seconds_sum{${labels}} ${entry.seconds * entry.count}`);
    lines.push(`http_request_duration_seconds_count{${labels}} ${entry.count}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Observability pointed at `env` (the stand-ins), its monitor driven by `app.runMonitoringRound()`
 * instead of a timer; webhooks may reach loopback (the test's receivers).
 */
export function buildMonitoring(options: { postgres?: boolean; storage?: Storage; env?: Record<string, string>; clock?: ManualClock } = {}): Promise<ObservabilityUnderTest> {
  return buildObservability({
    ...options,
    env: { SERVICE_CHECK_TIMEOUT_MS: '400', ALERT_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', ...options.env },
    deps: (deps): MonitoringDeps => ({ ...deps, monitorOnTimer: false }),
  });
}

const moduleSecrets = 'observability:observability-secret-0123456789';

/**
 * Stand-ins for the six services, one module (`moduleId`) found through the registry's discovery,
 * and observability on them. The module's /metrics answers `setModuleMetrics`'s text, or whatever
 * `setModuleHandler`'s handler does.
 */
export async function platformWithModule(options: { postgres?: boolean; env?: Record<string, string>; moduleId?: string } = {}) {
  const moduleId = options.moduleId ?? 'causal';
  const { services, env: urls } = await startPlatformStandIns();
  const answerText = (text: string) => (_request: ReceivedRequest, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(text);
  };
  let handler = answerText(serviceExposition(moduleId, []));
  const module = await startStandIn((request, response) => {
    if (request.url === '/metrics') return void handler(request, response);
    sendJson(response, 404, {});
  });
  services.auth.other = (request, response) => (request.url === '/v1/oauth/token' ? (sendJson(response, 200, { access_token: 'svc-observability-token', token_type: 'Bearer', expires_in: 300 }), true) : false);
  services.registry.other = (request, response) => {
    if (request.url === '/v1/health-summary') return (sendJson(response, 200, { total: 0, healthy: 0, unhealthy: 0, unknown: 0, disabled: 0, modules: [] }), true);
    if (request.url !== '/v1/prometheus/targets') return false;
    if (request.headers.authorization !== 'Bearer svc-observability-token') sendJson(response, 401, {});
    else sendJson(response, 200, [{ targets: [new URL(module.url).host], labels: { job: `lift-module-${moduleId}`, module: moduleId, version: '1.0.0', __scheme__: 'http', __metrics_path__: '/metrics' } }]);
    return true;
  };
  const built = await buildMonitoring({ postgres: options.postgres, env: { ...urls, SERVICE_CLIENT_SECRETS: moduleSecrets, ...options.env } });
  return {
    ...built,
    services,
    setModuleMetrics: (text: string) => (handler = answerText(text)),
    setModuleHandler: (next: (request: ReceivedRequest, response: ServerResponse) => void) => (handler = next),
  };
}
