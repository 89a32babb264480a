import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, hasPermission, identityOf, sendProblem } from '@lift/kit';
import type { ModuleTarget } from './edge-routing.js';
import { gatewayErrorCodes } from './errors.js';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import { identityHeaders } from './identity-headers.js';
import { requiredPermission, type ModuleTable } from './module-table.js';

export interface ModuleRoutesOptions extends ForwardLimits {
  readonly table: ModuleTable;
}

export type ModuleForwarder = (request: FastifyRequest, reply: FastifyReply, target: ModuleTarget) => Promise<FastifyReply>;

/**
 * `/modules/{moduleId}/*` to the module's baseUrl, from the registry's route table. Only enabled,
 * healthy modules get traffic (503 naming the module otherwise); every request needs a valid token
 * carrying the permission the module's manifest asks for that method and path. The module receives
 * the gateway's identity headers and the token itself, to verify again.
 */
export function moduleForwarder(options: ModuleRoutesOptions): ModuleForwarder {
  // The module and the path its permission rules match come from the normalised path (edgeRouting).
  return async (request, reply, target) => {
    const { moduleId, modulePath: path } = target;
    if (!options.table.loaded) {
      return sendProblem(request, reply, {
        status: 503,
        code: gatewayErrorCodes.moduleRoutingUnavailable,
        title: 'Service unavailable',
        detail: 'The gateway has not received the module route table from the registry yet; try again shortly.',
        headers: { 'retry-after': '1' },
      });
    }
    const module = options.table.find(moduleId);
    if (!module) {
      return sendProblem(request, reply, { status: 404, code: gatewayErrorCodes.moduleNotFound, title: 'Not found', detail: `No module "${moduleId}" is registered.`, extensions: { module: moduleId } });
    }
    if (!module.enabled || module.status !== 'healthy') {
      const why = !module.enabled ? 'is disabled' : module.status === 'unhealthy' ? 'is unhealthy' : 'has not passed a health check yet';
      return sendProblem(request, reply, {
        status: 503,
        code: gatewayErrorCodes.moduleUnavailable,
        title: 'Service unavailable',
        detail: `The module "${moduleId}" ${why}.`,
        extensions: { module: moduleId },
        headers: { 'retry-after': '5' },
      });
    }
    const identity = identityOf(request);
    const permission = requiredPermission(module, request.method, path);
    if (!hasPermission(identity, permission)) {
      throw new ForbiddenError(gatewayErrorCodes.permissionMissing, `The module "${moduleId}" needs the permission ${permission} for ${request.method} ${path}.`, {
        extensions: { permission, module: moduleId },
      });
    }
    return forwardRequest(
      request,
      reply,
      {
        name: `module ${moduleId}`,
        pool: module.pool,
        path: `${module.basePath}${path}${target.query}`,
        extraHeaders: identityHeaders(request),
      },
      options,
    );
  };
}
