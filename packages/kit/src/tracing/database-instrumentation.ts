import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { TracerProvider } from '@opentelemetry/api';

/** What `init()` of an instrumentation returns: the patches it would apply when a module is required. */
interface PatchingInstrumentation {
  init(): InstrumentationModuleDefinition | InstrumentationModuleDefinition[] | void;
}

/**
 * Spans for pg queries and ioredis commands. Both packages are inlined into the service bundles,
 * where the instrumentations' require hooks never see them load, so their patches are applied
 * here to the very classes the kit uses (patching a prototype reaches every client made from it).
 */
export async function instrumentDatabaseClients(provider: TracerProvider): Promise<{ disable(): void }> {
  const [pgModule, redisModule] = await Promise.all([import('pg'), import('ioredis')]);
  // Bundled, a CommonJS package's dynamic import may put its exports under `default`.
  const pg = pgModule.default;
  const Redis = (redisModule as { Redis?: unknown }).Redis ?? (redisModule as unknown as { default: { Redis: unknown } }).default.Redis;
  const pgInstrumentation = new PgInstrumentation({ enabled: false, requireParentSpan: true });
  const redisInstrumentation = new IORedisInstrumentation({ enabled: false, requireParentSpan: true });
  pgInstrumentation.setTracerProvider(provider);
  redisInstrumentation.setTracerProvider(provider);
  // pg's Pool extends pg-pool's, whose connect() the instrumentation wraps.
  const pgPool = Object.getPrototypeOf(pg.Pool) as unknown;
  const patches: [PatchingInstrumentation, string, unknown][] = [
    [pgInstrumentation as unknown as PatchingInstrumentation, 'pg', { Client: pg.Client }],
    [pgInstrumentation as unknown as PatchingInstrumentation, 'pg-pool', pgPool],
    [redisInstrumentation as unknown as PatchingInstrumentation, 'ioredis', Redis],
  ];
  const applied: (() => void)[] = [];
  for (const [instrumentation, name, moduleExports] of patches) {
    const definitions = [instrumentation.init() ?? []].flat();
    const definition = definitions.find((candidate) => candidate.name === name);
    if (!definition?.patch) continue;
    definition.patch(moduleExports, undefined);
    applied.push(() => definition.unpatch?.(moduleExports, undefined));
  }
  return { disable: () => applied.forEach((unpatch) => unpatch()) };
}
