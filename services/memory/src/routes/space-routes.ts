import { identityOf, type ServiceApp } from '@lift/kit';
import { createSpace, deleteSpace, getSpace, listSpaces } from '../conceptual-spaces.js';
import type { MemoryDomain } from '../memory-domain.js';
import { memoryGuards } from './module-guards.js';
import { SpaceBody, SpaceInput, SpaceList, SpaceParams } from '../schemas.js';

const tags = ['spaces'];
const security = [{ bearerAuth: [] }];
const notFound = { 404: 'No conceptual space of that name in your organisation (MEMORY_SPACE_NOT_FOUND)' };

/** The organisation's conceptual spaces: named dimensions with ranges and weights that memories place themselves in. */
export async function spaceRoutes(app: ServiceApp, domain: MemoryDomain): Promise<void> {
  const guards = memoryGuards(app, domain);
  const read = guards.withPermission('memory:read');
  // Defining or deleting a space changes where memories of every type sit: people only.
  const write = guards.peopleOnly('memory:write', 'define or delete conceptual spaces');

  app.post(
    '/v1/spaces',
    {
      preHandler: write,
      schema: {
        operationId: 'createSpace',
        problems: {
          400: 'Two dimensions of one name or a max not above its min (MEMORY_SPACE_INVALID), or the organisation has its 50 spaces already (MEMORY_SPACE_LIMIT_REACHED)',
          409: 'The organisation has a space of that name (MEMORY_SPACE_EXISTS)',
        },
        tags,
        security,
        summary: 'Define a conceptual space',
        body: SpaceInput,
        response: { 201: SpaceBody },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createSpace(domain, identityOf(request).organisation, request.body);
    },
  );

  app.get('/v1/spaces', { preHandler: read, schema: { operationId: 'listSpaces', tags, security, summary: 'The organisation\'s conceptual spaces, by name', response: { 200: SpaceList } } }, async (request) =>
    listSpaces(domain, identityOf(request).organisation),
  );

  app.get('/v1/spaces/:name', { preHandler: read, schema: { operationId: 'getSpace', problems: notFound, tags, security, summary: 'One conceptual space', params: SpaceParams, response: { 200: SpaceBody } } }, async (request) =>
    getSpace(domain, identityOf(request).organisation, request.params.name),
  );

  app.delete(
    '/v1/spaces/:name',
    { preHandler: write, schema: { operationId: 'deleteSpace', problems: notFound, tags, security, summary: 'Delete a conceptual space; memories placed in it stay, out of it', params: SpaceParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await deleteSpace(domain, identityOf(request).organisation, request.params.name);
      return reply.code(204).send();
    },
  );
}
