import type { ServiceDeps, ServiceTokenSource } from '@lift/kit';
import type { MemoryConfig } from '../config.js';
import { modulesUnavailable, type ModuleAccessSource } from './module-memory-access.js';
import { registryModuleAccess } from './registry-module-access.js';

/**
 * What modules may do with memory, as the service runs it: the registry's route table read with
 * the memory service's token. Without its secret nothing can be read, so module tokens are
 * refused (503, said once in the log) and everyone else's work as before.
 */
export function moduleAccessFor(deps: ServiceDeps<MemoryConfig>, tokens: ServiceTokenSource | undefined): ModuleAccessSource {
  if (!tokens) {
    deps.log.warn('SERVICE_CLIENT_SECRETS has no secret for memory: what modules may do cannot be read from the registry, so module tokens are refused');
    return { accessOf: async () => Promise.reject(modulesUnavailable(new Error('no service secret for memory'))) };
  }
  return registryModuleAccess({ registryUrl: deps.config.REGISTRY_SERVICE_URL, http: deps.http, tokens, clock: deps.clock, log: deps.log, refreshMs: deps.config.MODULE_ACCESS_REFRESH_MS });
}
