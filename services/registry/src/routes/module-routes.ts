import { identityOf, type ServiceApp } from '@lift/kit';
import { moduleManifestSchema } from '@lift/sdk';
import { deregisterModule, getModule, listModules, moduleVersions, registerModule, setModuleEnabled, updateModule } from '../module-catalog.js';
import type { RegistryDomain } from '../registry-domain.js';
import { ModuleBody, ModuleList, ModuleParams, ModuleQuery, VersionList } from '../schemas.js';

const tags = ['modules'];
const security = [{ bearerAuth: [] }];

/** Register, list, read, update, enable/disable and deregister modules. Changes need `registry:admin`. */
export async function moduleRoutes(app: ServiceApp, domain: RegistryDomain): Promise<void> {
  app.post('/v1/modules', { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'registerModule', problems: { 400: 'The manifest breaks a rule (REGISTRY_INVALID_MANIFEST, REGISTRY_RESERVED_MODULE_ID, REGISTRY_FOREIGN_PERMISSION, REGISTRY_UNDECLARED_PERMISSION, REGISTRY_UNSAFE_URL)', 409: 'A module with that id is registered (REGISTRY_MODULE_EXISTS)' }, tags, security, summary: 'Register a module from its manifest', body: moduleManifestSchema, response: { 201: ModuleBody } } }, async (request, reply) => {
    reply.code(201);
    return registerModule(domain, request.body, identityOf(request).subject);
  });

  app.get('/v1/modules', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listModules', tags, security, summary: 'Modules, filtered and paged', querystring: ModuleQuery, response: { 200: ModuleList } } }, async (request) =>
    listModules(domain, request.query),
  );

  app.get('/v1/modules/:moduleId', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'getModule', problems: { 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: 'One module', params: ModuleParams, response: { 200: ModuleBody } } }, async (request) =>
    getModule(domain, request.params.moduleId),
  );

  app.put(
    '/v1/modules/:moduleId',
    { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'updateModule', problems: { 400: 'The manifest breaks a rule (REGISTRY_INVALID_MANIFEST, REGISTRY_RESERVED_MODULE_ID, REGISTRY_FOREIGN_PERMISSION, REGISTRY_UNDECLARED_PERMISSION, REGISTRY_UNSAFE_URL), or is for another module (REGISTRY_MODULE_ID_MISMATCH)', 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)', 409: 'The version is older than the registered one (REGISTRY_VERSION_NOT_NEWER)' }, tags, security, summary: 'Replace the manifest (a new version is kept in the history)', params: ModuleParams, body: moduleManifestSchema, response: { 200: ModuleBody } } },
    async (request) => updateModule(domain, request.params.moduleId, request.body, identityOf(request).subject),
  );

  app.delete('/v1/modules/:moduleId', { preHandler: app.requirePermission('registry:admin'), schema: { operationId: 'deregisterModule', problems: { 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: 'Deregister a module', params: ModuleParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    await deregisterModule(domain, request.params.moduleId);
    return reply.code(204).send();
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(
      `/v1/modules/:moduleId/${action}`,
      { preHandler: app.requirePermission('registry:admin'), schema: { operationId: `${action}Module`, problems: { 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: `${action === 'enable' ? 'Route' : 'Stop routing'} traffic to the module`, params: ModuleParams, response: { 200: ModuleBody } } },
      async (request) => setModuleEnabled(domain, request.params.moduleId, enabled),
    );
  }

  app.get('/v1/modules/:moduleId/versions', { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listModuleVersions', problems: { 404: 'No module with that id is registered (REGISTRY_MODULE_NOT_FOUND)' }, tags, security, summary: 'Version history, newest first', params: ModuleParams, response: { 200: VersionList } } }, async (request) => ({
    items: await moduleVersions(domain, request.params.moduleId),
    nextCursor: null,
  }));
}
