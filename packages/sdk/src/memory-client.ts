import { createLiftClient } from './lift-client.js';
import type { PlatformTokens } from './platform-tokens.js';
import type { Memory, MemoryAsOf, MemoryInput, MemorySearchAnswer, MemorySearchRequest, MemorySupersedeInput, RelatedMemory } from './wire/memory.js';

export interface MemoryClientOptions {
  /** The platform's gateway, e.g. http://localhost:8000. */
  readonly gatewayUrl: string;
  /** How the module gets a platform token for its caller (`platformTokens({ gatewayUrl })`). */
  readonly tokens: PlatformTokens;
  readonly fetch?: typeof fetch;
}

/**
 * The memory service for a module, acting for the caller whose request it is serving: every
 * method takes the token the gateway sent the module (audience `module:<id>`) and exchanges it
 * for a delegated platform token (cached), which memory holds to the module's manifest
 * (`memoryRequirements`: the types it writes, the ways it searches). Errors are LiftApiError
 * with memory's problem document (403 MEMORY_MODULE_NOT_ALLOWED for an undeclared type or mode).
 */
export function memoryClient(options: MemoryClientOptions) {
  const lift = createLiftClient({ gatewayUrl: options.gatewayUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const asCaller = async <T>(moduleToken: string, method: string, path: string, body?: unknown): Promise<T> => lift.request<T>(method, `/memory${path}`, await options.tokens.tokenFor(moduleToken), body);

  return {
    /** Stores a memory in the caller's organisation; its `source` is the module. */
    add: (moduleToken: string, input: MemoryInput) => asCaller<Memory>(moduleToken, 'POST', '/v1/memories', input),
    /** Stores up to 500 at once, all or none. */
    addMany: async (moduleToken: string, items: readonly MemoryInput[]) => (await asCaller<{ items: Memory[] }>(moduleToken, 'POST', '/v1/memories/batch', { items })).items,
    /** The caller's organisation's memories, newest first (`type`, `tag`, `source` filter; `cursor` pages on). */
    list: (moduleToken: string, query: { type?: string; tag?: string; source?: string; userId?: string; sessionId?: string; limit?: number; cursor?: string } & MemoryAsOf = {}) =>
      asCaller<{ items: Memory[]; nextCursor: string | null }>(moduleToken, 'GET', `/v1/memories${queryString(query)}`),
    get: (moduleToken: string, id: string) => asCaller<Memory>(moduleToken, 'GET', `/v1/memories/${encodeURIComponent(id)}`),
    search: (moduleToken: string, request: MemorySearchRequest) => asCaller<MemorySearchAnswer>(moduleToken, 'POST', '/v1/search', request),
    /** Memories linked to this one by relations either way, nearest first. */
    related: async (moduleToken: string, id: string, query: { depth?: number; predicate?: string; limit?: number } & MemoryAsOf = {}) => {
      return (await asCaller<{ items: RelatedMemory[] }>(moduleToken, 'GET', `/v1/memories/${encodeURIComponent(id)}/related${queryString(query)}`)).items;
    },
    /**
     * Replaces a fact by a new version (the module must be allowed the old and the new type): the
     * old one stays, valid until now; 409 MEMORY_ALREADY_SUPERSEDED when it was replaced already.
     */
    supersede: (moduleToken: string, id: string, input: MemorySupersedeInput) => asCaller<Memory>(moduleToken, 'POST', `/v1/memories/${encodeURIComponent(id)}/supersede`, input),
    remove: (moduleToken: string, id: string) => asCaller<void>(moduleToken, 'DELETE', `/v1/memories/${encodeURIComponent(id)}`),
  };
}

export type MemoryClient = ReturnType<typeof memoryClient>;

function queryString(query: Readonly<Record<string, string | number | boolean | undefined>> | MemoryAsOf): string {
  const parameters = new URLSearchParams(Object.entries(query as Record<string, string | number | boolean | undefined>).flatMap(([name, value]): [string, string][] => (value === undefined ? [] : [[name, String(value)]])));
  return parameters.size === 0 ? '' : `?${parameters}`;
}
