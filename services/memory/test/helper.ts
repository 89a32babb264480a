import type { Kysely } from 'kysely';
import type { EventPublisher, EventRecord, ServiceApp } from '@lift/kit';
import { buildApp, type MemoryTables } from '../src/app.js';
import { memoryConfigSchema } from '../src/config.js';
import type { ItemLimits } from '../src/limits/item-limits.js';
import { memoryMigrations } from '../src/migrations/index.js';
import { postgresAndRedis, sqliteAndMemory } from '../../../tests/support/backend.js';
import type { Storage } from '../../../tests/support/service-under-test.js';
import { startServiceUnderTest } from '../../../tests/support/service-under-test.js';
import { SignJWT } from 'jose';
import { defaultTokenIssuer } from '@lift/kit';
import { manualClock, testEpoch, type ManualClock } from '../../../tests/support/manual-clock.js';
import { bearerFor } from '../../../tests/support/test-token.js';

export { backends } from '../../../tests/support/backends.js';
import type { ModuleAccessSource, ModuleMemoryAccess } from '../src/module-access/module-memory-access.js';

const secret = 'memory tests sign their own HS256 tokens here';

/** Stored-count events as billing would receive them. */
export function capturedEvents(): EventPublisher & { readonly events: EventRecord[] } {
  const events: EventRecord[] = [];
  return { events, publish: (event) => void events.push(event), flush: async () => undefined, close: async () => undefined, backlog: 0, dropped: 0 };
}

export interface MemoryUnderTest {
  readonly app: ServiceApp;
  readonly db: Kysely<MemoryTables>;
  readonly storage: Storage;
  readonly events: EventRecord[];
  readonly logs: Record<string, unknown>[];
  /** The app's clock, at the test epoch until the test moves it. */
  readonly clock: ManualClock;
}

/** The memory app on a fresh database (or `storage`, to restart on earlier tables), ready (index rebuilt). */
/**
 * What the registered modules may do, as the registry's route table would say: `causal` writes
 * `general` and `insight` and searches every way; tests pass their own.
 */
export const testModuleAccess = (modules: Record<string, ModuleMemoryAccess> = { causal: { memoryTypes: ['general', 'insight'], searchTypes: ['text', 'vector', 'graph', 'conceptual', 'hybrid'] } }): ModuleAccessSource => ({
  accessOf: async (moduleId) => modules[moduleId],
});

export async function buildMemory(options: { postgres?: boolean; limits?: ItemLimits; storage?: Storage; untilReady?: boolean; env?: Record<string, string>; moduleAccess?: ModuleAccessSource } = {}): Promise<MemoryUnderTest> {
  const usageEvents = capturedEvents();
  const clock = manualClock();
  const memory = await startServiceUnderTest<typeof memoryConfigSchema, MemoryTables>({
    name: 'memory',
    configSchema: memoryConfigSchema,
    backend: options.postgres ? postgresAndRedis : sqliteAndMemory,
    database: { migrations: memoryMigrations, ...(options.storage ? { storage: options.storage } : {}) },
    env: { JWT_ALGORITHM: 'HS256', JWT_SECRET: secret, ...options.env },
    logLevel: 'info',
    clock,
    untilReady: options.untilReady ?? true,
    buildApp: (deps) => buildApp({ ...deps, usageEvents, moduleAccess: options.moduleAccess ?? testModuleAccess(), ...(options.limits ? { limits: options.limits } : {}) }),
  });
  return { app: memory.app, db: memory.db, storage: memory.storage, events: usageEvents.events, logs: memory.logs, clock };
}

/** A member's token in `organisation` (memory:read and memory:write); `extra` adds permissions, `actor` makes it a module's. */
export function member(organisation = 'org-a', options: { subject?: string; extra?: string[]; permissions?: string[] } = {}): Promise<Record<string, string>> {
  return bearerFor({ secret, organisation, permissions: options.permissions ?? ['memory:read', 'memory:write', ...(options.extra ?? [])], subject: options.subject ?? 'user-1', lifetimeSeconds: 3600 * 24 });
}

/** Stores memories through the API and answers them, in order. */
export async function store(app: ServiceApp, headers: Record<string, string>, items: Record<string, unknown>[]): Promise<{ id: string; content: string }[]> {
  const response = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items } });
  if (response.statusCode !== 201) throw new Error(`storing failed: ${response.statusCode} ${response.body}`);
  return response.json().items;
}

export async function search(app: ServiceApp, headers: Record<string, string>, payload: Record<string, unknown>) {
  const response = await app.inject({ method: 'POST', url: '/v1/search', headers, payload });
  if (response.statusCode !== 200) throw new Error(`search failed: ${response.statusCode} ${response.body}`);
  return response.json() as { items: { memory: { id: string; content: string; type: string }; score: number; signals: Record<string, number> }[]; mode: string; tookMs: number };
}

/** A token a module obtained for a user by token exchange (`act.sub` = `module:<id>`), as auth signs it. */
export async function moduleMember(organisation: string, moduleId: string): Promise<Record<string, string>> {
  const at = Math.floor(testEpoch / 1000);
  const token = await new SignJWT({ org: organisation, roles: [], perms: ['memory:read', 'memory:write'], act: { sub: `module:${moduleId}` }, client_id: `module:${moduleId}` })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject('user-1')
    .setIssuer(defaultTokenIssuer)
    .setAudience('lift-os')
    .setIssuedAt(at)
    .setExpirationTime(at + 3600)
    .setJti(`test-${Math.random().toString(36).slice(2)}`)
    .sign(new TextEncoder().encode(secret));
  return { authorization: `Bearer ${token}` };
}
