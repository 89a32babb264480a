import { identityOf, type ServiceApp } from '@lift/kit';
import { moduleManifestSchema } from '@lift/sdk';
import { deregisterModule, getModule, listModules, moduleVersions, registerModule, setModuleEnabled, updateModule } from '../module-catalog.js';
import type { RegistryDomain } from '../registry-domain.js';
import { ModuleBody, ModuleList, ModuleParams, ModuleQuery, VersionList } from '../schemas.js';

const tags = ['modules'];
const security = [{ bearerAuth: [] }];

/** Register, list, read, update, enable/disable and deregister modules. Changes need `registry:admin`. */
export async function moduleRoutes(app: ServiceApp, domain: RegistryDomain): Promise<void> {
  app.post('/v1/modules', { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'registerModule', tags, security, summary: 'Register a module from its manifest', body: moduleManifestSchema, response: { 201: ModuleBody } } }, async (request, reply) => {
    reply.code(201);
    return registerModule(domain, request.body, identityOf(request).subject);
  });

  app.get('/v1/modules', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listModules', tags, security, summary: 'Modules, filtered and paged', querystring: ModuleQuery, response: { 200: ModuleList } } }, async (request) =>
    listModules(domain, request.query),
  );

  app.get('/v1/modules/:moduleId', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'getModule', tags, security, summary: 'One module', params: ModuleParams, response: { 200: ModuleBody } } }, async (request) =>
    getModule(domain, request.params.moduleId),
  );

  app.put(
    '/v1/modules/:moduleId',
    { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'updateModule', tags, security, summary: 'Replace the manifest (a new version is kept in the history)', params: ModuleParams, body: moduleManifestSchema, response: { 200: ModuleBody } } },
    async (request) => updateModule(domain, request.params.moduleId, request.body, identityOf(request).subject),
  );

  app.delete('/v1/modules/:moduleId', { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'deregisterModule', tags, security, summary: 'Deregister a module', params: ModuleParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    await deregisterModule(domain, request.params.moduleId);
    return reply.code(204).send();
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(
      `/v1/modules/:moduleId/${action}`,
      { preHandler: app.requirePermission('registry:admin'), schema: { operationId: `${action}Module`, tags, security, summary: `${action === 'enable' ? 'Route' : 'Stop routing'} traffic to the module`, params: ModuleParams, response: { 200: ModuleBody } } },
      async (request) => setModuleEnabled(domain, request.params.moduleId, enabled),
    );
  }

  app.get('/v1/modules/:moduleId/versions', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listModuleVersions', tags, security, summary: 'Version history, newest first', params: ModuleParams, response: { 200: VersionList } } }, async (request) => ({
    items: await moduleVersions(domain, request.params.moduleId),
    nextCursor: null,
  }));
}
