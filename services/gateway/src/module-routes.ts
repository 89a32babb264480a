import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, hasPermission, identityOf, sendProblem } from '@lift/kit';
import type { ModuleTarget } from './edge-routing.js';
import { gatewayErrorCodes } from './errors.js';
import { forwardRequest, type ForwardLimits } from './forward-request.js';
import { identityHeaders } from './identity-headers.js';
import { requiredPermission, type ModuleTable } from './module-table.js';
import type { ModuleTokenExchange } from './module-token-exchange.js';

export interface ModuleRoutesOptions extends ForwardLimits {
  readonly table: ModuleTable;
  /** Turns the caller's platform token into the module's own (audience `module:<id>`). */
  readonly moduleTokens: ModuleTokenExchange | undefined;
}

const bearerToken = /^Bearer +(\S+)$/i;

export type ModuleForwarder = (request: FastifyRequest, reply: FastifyReply, target: ModuleTarget) => Promise<FastifyReply>;

/**
 * `/modules/{moduleId}/*` to the module's baseUrl, from the registry's route table. Only enabled,
 * healthy modules get traffic (503 naming the module otherwise); every request needs a valid token
 * carrying the permission the module's manifest asks for that method and path. The module receives
 * the gateway's identity headers and a token of its own audience (exchanged at auth for the
 * caller's), to verify again — never the caller's platform token, which it could replay.
 */
export function moduleForwarder(options: ModuleRoutesOptions): ModuleForwarder {
  // The module and the path its permission rules match come from the normalised path (edgeRouting).
  return async (request, reply, target) => {
    const { moduleId, modulePath: path } = target;
    const { moduleTokens } = options;
    // Without the gateway's secret there is no route table either: module routes answer 503.
    if (!options.table.loaded || !moduleTokens) {
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
    const callerToken = bearerToken.exec(request.headers.authorization ?? '')?.[1] as string;
    const moduleToken = await moduleTokens.tokenFor(callerToken, moduleId);
    return forwardRequest(
      request,
      reply,
      {
        name: `module ${moduleId}`,
        instances: module.instances,
        path: `${module.basePath}${path}${target.query}`,
        extraHeaders: { ...identityHeaders(request), authorization: `Bearer ${moduleToken}` },
        withholdPlatformCookies: true,
      },
      options,
    );
  };
}
