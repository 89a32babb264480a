import type { ServiceApp } from '@lift/kit';
import { healthOf, healthSummary, heartbeat } from '../module-health.js';
import type { RegistryDomain } from '../registry-domain.js';
import { HealthSummaryBody, HeartbeatBody, ModuleHealthBody, ModuleParams } from '../schemas.js';

const tags = ['health'];
const security = [{ bearerAuth: [] }];

export async function healthRoutes(app: ServiceApp, domain: RegistryDomain): Promise<void> {
  app.get('/v1/modules/:moduleId/health', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'getModuleHealth', problems: { 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: 'A module\'s status and recent checks', params: ModuleParams, response: { 200: ModuleHealthBody } } }, async (request) =>
    healthOf(domain, request.params.moduleId),
  );

  app.put(
    '/v1/modules/:moduleId/heartbeat',
    { preHandler: app.requirePermission('registry:heartbeat'), schema: { operationId: 'recordHeartbeat', problems: { 400: 'The module is checked over HTTP, not by heartbeats (REGISTRY_HEARTBEAT_NOT_EXPECTED)', 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: 'A ttl module says it is alive', params: ModuleParams, response: { 200: HeartbeatBody } } },
    async (request) => heartbeat(domain, request.params.moduleId),
  );

  app.get('/v1/health-summary', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'getHealthSummary', tags, security, summary: 'How many modules are up, down, unknown or disabled', response: { 200: HealthSummaryBody } } }, async () =>
    healthSummary(domain),
  );
}
