import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { nowIso, type Clock, type HttpClient } from '@lift/kit';
import type { ModuleRoute } from './module-table.js';
import type { ServiceLocation } from './service-documents.js';
import { probeReadiness } from './readiness-probe.js';

/** What /health/detailed reads of the module route table (the gateway's ModuleTable). */
export interface ModuleListing {
  /** Whether a route table has arrived from the registry yet. */
  readonly loaded: boolean;
  list(): readonly Pick<ModuleRoute, 'moduleId' | 'enabled' | 'status'>[];
}

/**
 * A core service as /health/detailed reports it: probed at `origin` (an available instance); when
 * it runs several, their availability as the gateway's balancing sees it (its own /ready probes and
 * outlier detection).
 */
export interface ProbedService extends ServiceLocation {
  readonly instances?: { readonly balanced: boolean; readonly instances: readonly { readonly available: boolean }[] };
}

export interface HealthDetailedOptions {
  readonly services: readonly ProbedService[];
  readonly modules: ModuleListing;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** How long one service has to answer its /ready. */
  readonly probeTimeoutMs?: number;
  /** How long one round of probes answers every caller. */
  readonly cacheMs?: number;
}

const ServiceHealth = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unready'), Type.Literal('unreachable')]),
  latencyMs: Type.Integer({ minimum: 0 }),
  checks: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failing')]))),
  /** A service running several instances: how many, and how many are ready (counts, never addresses). */
  instances: Type.Optional(Type.Object({ total: Type.Integer({ minimum: 2 }), ready: Type.Integer({ minimum: 0 }) })),
});

const ModuleHealth = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Literal('unknown'), Type.Literal('disabled')]),
  /** Whether the gateway sends it traffic right now (enabled and healthy). */
  routed: Type.Boolean(),
});

const DetailedHealth = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checkedAt: Type.String({ format: 'date-time' }),
  services: Type.Record(Type.String(), ServiceHealth),
  moduleTable: Type.Union([Type.Literal('loaded'), Type.Literal('not loaded')]),
  modules: Type.Array(ModuleHealth),
});

type DetailedHealthBody = Static<typeof DetailedHealth>;

/**
 * GET /health/detailed: every core service's readiness, probed in parallel, and every module as
 * the route table has it (the registry health-checks modules; the gateway routes on its verdict).
 * A service with several instances is probed at one the gateway would send to, and says how many
 * of how many are available, as the gateway's balancing sees them — not by probing each again: the
 * route is public, and a round would otherwise cost a probe per instance. 200 while every core service is ready,
 * 503 otherwise; `status` is `ok` only when, in addition, every instance is ready and every enabled
 * module is routed. One round of probes answers all callers for `cacheMs`, so the
 * endpoint — public, like /health — cannot be used to multiply load on the services. Names and
 * statuses only: no addresses, no error messages.
 */
export async function healthDetailedRoute(app: FastifyInstance, options: HealthDetailedOptions): Promise<void> {
  const probe = { http: options.http, clock: options.clock, timeoutMs: options.probeTimeoutMs ?? 2_000 };
  const cacheMs = options.cacheMs ?? 1_000;
  let latest: { startedAt: number; report: Promise<DetailedHealthBody> } | undefined;

  const probeService = async (service: ProbedService): Promise<Static<typeof ServiceHealth>> => {
    const result = await probeReadiness(service.origin, probe);
    if (!service.instances?.balanced) return result;
    const { instances } = service.instances;
    return { ...result, instances: { total: instances.length, ready: instances.filter((instance) => instance.available).length } };
  };

  const check = async (): Promise<DetailedHealthBody> => {
    const checkedAt = nowIso(options.clock);
    const results = await Promise.all(options.services.map(async (service) => [service.name, await probeService(service)] as const));
    const modules = options.modules.list().map((module) => ({
      name: module.moduleId,
      status: module.enabled ? module.status : ('disabled' as const),
      routed: module.enabled && module.status === 'healthy',
    }));
    const coreReady = results.every(([, result]) => result.status === 'ready' && (result.instances === undefined || result.instances.ready === result.instances.total));
    const modulesRouted = modules.every((module) => module.routed || module.status === 'disabled');
    return {
      status: coreReady && modulesRouted && options.modules.loaded ? 'ok' : 'degraded',
      checkedAt,
      services: Object.fromEntries(results),
      moduleTable: options.modules.loaded ? 'loaded' : 'not loaded',
      modules,
    };
  };

  app.get(
    '/health/detailed',
    {
      schema: {
        operationId: 'getPlatformHealth',
        security: [],
        tags: ['health'],
        summary: 'Readiness of every core service and module behind the gateway',
        response: { 200: DetailedHealth, 503: DetailedHealth },
      },
    },
    async (_request, reply) => {
      const now = options.clock.now();
      if (!latest || now - latest.startedAt >= cacheMs) latest = { startedAt: now, report: check() };
      const report = await latest.report;
      const allReady = Object.values(report.services).every((service) => service.status === 'ready');
      return reply.code(allReady ? 200 : 503).header('cache-control', 'no-store').send(report);
    },
  );
}
