import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { kitErrorCodes } from '../errors.js';
import type { Clock } from '../clock.js';
import { sendProblem } from './problem-details.js';
import { readinessFailureLog } from './readiness-failure-log.js';

/** A dependency the service needs before it can serve: a database, Redis, an upstream. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  /** From now on /ready answers 503, so load balancers stop sending traffic before the drain. */
  markShuttingDown(): void;
  readonly shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

export interface HealthPluginOptions {
  readonly service: string;
  readonly version: string;
  readonly clock: Clock;
  readonly checkTimeoutMs?: number;
}

const HealthBody = Type.Object({
  status: Type.Literal('ok'),
  service: Type.String(),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
  startedAt: Type.String({ format: 'date-time' }),
  time: Type.String({ format: 'date-time' }),
});

const CheckState = Type.Union([Type.Literal('ok'), Type.Literal('failing')]);

const ReadyBody = Type.Object({
  status: Type.Literal('ready'),
  service: Type.String(),
  checks: Type.Record(Type.String(), CheckState),
});

/**
 * GET /health: the process is alive (no dependencies). GET /ready: every dependency answers.
 * Both are public (load balancers, and through the gateway anyone), so /ready names each check
 * and its state only; why a check fails — addresses, driver messages — goes to the log.
 */
export const healthPlugin = fastifyPlugin<HealthPluginOptions>(
  async (app: FastifyInstance, options: HealthPluginOptions) => {
    const checks: ReadinessCheck[] = [];
    const startedAt = options.clock.now();
    const timeoutMs = options.checkTimeoutMs ?? 2_000;
    const failures = readinessFailureLog(app.log, options.clock);
    let shuttingDown = false;

    app.decorate('readiness', {
      add: (check: ReadinessCheck) => void checks.push(check),
      markShuttingDown: () => void (shuttingDown = true),
      get shuttingDown() {
        return shuttingDown;
      },
    });

    app.get(
      '/health',
      { schema: { tags: ['health'], operationId: 'getHealth', security: [], summary: 'Liveness: the process answers', response: { 200: HealthBody } } },
      async () => {
        const now = options.clock.now();
        return {
          status: 'ok' as const,
          service: options.service,
          version: options.version,
          uptimeSeconds: Math.round((now - startedAt) / 1000),
          startedAt: new Date(startedAt).toISOString(),
          time: new Date(now).toISOString(),
        };
      },
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['health'],
          operationId: 'getReadiness',
          security: [],
          summary: 'Readiness: every dependency answers',
          response: { 200: ReadyBody },
          problems: { 503: 'A dependency does not answer (SERVICE_NOT_READY, `checks` names each), or the service is shutting down (SERVICE_SHUTTING_DOWN)' },
        },
      },
      async (request, reply) => {
        if (shuttingDown) {
          return sendProblem(request, reply, {
            status: 503,
            code: kitErrorCodes.shuttingDown,
            title: 'Service unavailable',
            detail: `${options.service} is shutting down.`,
          });
        }
        const results = await Promise.all(checks.map(async (check) => ({ name: check.name, error: await failureOf(check, timeoutMs) })));
        for (const result of results) failures.record(result.name, result.error);
        const summary = Object.fromEntries(results.map((result) => [result.name, result.error === undefined ? ('ok' as const) : ('failing' as const)]));
        const failing = results.filter((result) => result.error !== undefined);
        if (failing.length === 0) return { status: 'ready' as const, service: options.service, checks: summary };
        return sendProblem(request, reply, {
          status: 503,
          code: kitErrorCodes.notReady,
          title: 'Service unavailable',
          detail: `${options.service} is not ready: ${failing.map((result) => result.name).join(', ')} failing; the service's log says why.`,
          extensions: { checks: summary },
        });
      },
    );
  },
  { name: 'lift-health' },
);

async function failureOf(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    clearTimeout(timer);
  }
}
