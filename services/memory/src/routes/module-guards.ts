import { identityOf, type ServiceApp } from '@lift/kit';
import type { FastifyRequest } from 'fastify';
import type { MemoryDomain } from '../memory-domain.js';
import { assertNotModule, assertRegisteredModule } from '../module-access/module-memory-access.js';

/**
 * The preHandlers of memory's routes: the permission, then what a module's delegated token must
 * also be — one of a module the registry knows (every route), and never a module's for the routes
 * people alone may use. The routes check types and search kinds themselves, with the body.
 */
export function memoryGuards(app: ServiceApp, domain: MemoryDomain) {
  const registered = async (request: FastifyRequest) => assertRegisteredModule(domain.moduleAccess, identityOf(request));
  return {
    withPermission: (permission: string) => [app.requirePermission(permission), registered],
    peopleOnly: (permission: string, doing: string) => [app.requirePermission(permission), async (request: FastifyRequest) => assertNotModule(identityOf(request), doing)],
  };
}
