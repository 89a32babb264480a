import { identityOf, type Identity, type ServiceApp } from '@lift/kit';
import { actingModule, assertModuleMayWrite } from '../module-access/module-memory-access.js';
import { createMemories, deleteMemory, getMemory, listMemories, supersedeMemory, updateMemory } from '../memories.js';
import type { MemoryDomain } from '../memory-domain.js';
import { memoryGuards } from './module-guards.js';
import { relatedMemories } from '../related-walk.js';
import { ListQuery, MemoryBatchBody, MemoryBatchInput, MemoryBody, MemoryInput, MemoryList, MemoryParams, MemoryPatch, RelatedBody, RelatedQuery, SupersedeInput } from '../schemas.js';

const tags = ['memories'];
const security = [{ bearerAuth: [] }];
const notFound = { 404: 'No memory with that id in your organisation (MEMORY_NOT_FOUND)' };
const badInput = 'asOf not an ISO-8601 timestamp or in the future (MEMORY_AS_OF_INVALID), whitespace-only content (MEMORY_CONTENT_EMPTY), metadata over 16 KiB (MEMORY_METADATA_TOO_LARGE), a relation to a memory your organisation does not have (MEMORY_RELATION_TARGET_NOT_FOUND), or a place in a space it does not have (MEMORY_SPACE_UNKNOWN) with a dimension unknown, missing or out of range (MEMORY_DIMENSION_UNKNOWN, _MISSING, _OUT_OF_RANGE)';
const moduleRefusals = { 403: 'A module\'s token writing a type its manifest does not declare (MEMORY_MODULE_NOT_ALLOWED)' };
const limits = { 402: 'The plan\'s memory_items limit would be passed (MEMORY_ITEM_LIMIT_REACHED)', 503: 'Billing cannot say what the plan allows right now (MEMORY_LIMITS_UNAVAILABLE), or the embeddings model fails (MEMORY_EMBEDDINGS_UNAVAILABLE)' };
const superseding = { 404: 'supersedes names no memory of your organisation (MEMORY_NOT_FOUND)', 409: 'supersedes names a memory superseded already, or two items supersede the same one (MEMORY_ALREADY_SUPERSEDED)' };
const asOfInvalid = 'asOf is not an ISO-8601 timestamp or is in the future (MEMORY_AS_OF_INVALID)';
const embeddings = { 503: 'New content cannot be embedded: the embeddings model fails (MEMORY_EMBEDDINGS_UNAVAILABLE)' };

/** Store, read, list, change and delete memories; walk their relations. Always in the token's organisation. */
export async function memoryRoutes(app: ServiceApp, domain: MemoryDomain): Promise<void> {
  const guards = memoryGuards(app, domain);
  const read = guards.withPermission('memory:read');
  const write = guards.withPermission('memory:write');

  // A module's delegated token writes only the types its manifest declares (memoryTypes); for a
  // change or a deletion, the stored memory's type too.
  const moduleMayWrite = (identity: Identity, types: readonly { type: string; field: string }[]) => assertModuleMayWrite(domain.moduleAccess, identity, types);
  const storedType = async (identity: Identity, id: string | undefined, field = 'params.id') => {
    if (actingModule(identity) === undefined || id === undefined) return [];
    const stored = await domain.store.memories.byId(identity.organisation, id);
    return stored ? [{ type: stored.type, field }] : [];
  };
  // Superseding a memory changes it (its validity ends): the module must be able to write its type too.
  const supersededTypes = async (identity: Identity, items: readonly { supersedes?: string | undefined }[], fieldOf: (index: number) => string) =>
    (await Promise.all(items.map((item, index) => storedType(identity, item.supersedes, `${fieldOf(index)}.supersedes`)))).flat();

  app.post('/v1/memories', { preHandler: write, schema: { operationId: 'createMemory', problems: { 400: badInput, ...superseding, ...moduleRefusals, ...limits }, tags, security, summary: 'Store a memory', body: MemoryInput, response: { 201: MemoryBody } } }, async (request, reply) => {
    const identity = identityOf(request);
    await moduleMayWrite(identity, [{ type: request.body.type ?? 'general', field: 'body.type' }, ...(await supersededTypes(identity, [request.body], () => 'body'))]);
    reply.code(201);
    const [memory] = await createMemories(domain, identityOf(request), [request.body], () => 'body');
    return memory;
  });

  app.post(
    '/v1/memories/batch',
    { preHandler: write, bodyLimit: 32 * 1024 * 1024, schema: { operationId: 'createMemories', problems: { 400: badInput, ...superseding, ...moduleRefusals, ...limits }, tags, security, summary: 'Store many memories at once (all or none)', body: MemoryBatchInput, response: { 201: MemoryBatchBody } } },
    async (request, reply) => {
      const identity = identityOf(request);
      const fieldOf = (index: number) => `body.items[${index}]`;
      await moduleMayWrite(identity, [...request.body.items.map((item, index) => ({ type: item.type ?? 'general', field: `${fieldOf(index)}.type` })), ...(await supersededTypes(identity, request.body.items, fieldOf))]);
      reply.code(201);
      return { items: await createMemories(domain, identityOf(request), request.body.items, (index) => `body.items[${index}]`) };
    },
  );

  app.post(
    '/v1/memories/:id/supersede',
    {
      preHandler: write,
      schema: {
        operationId: 'supersedeMemory',
        problems: { ...notFound, 400: badInput, 409: 'The memory was superseded already: supersede its current version (MEMORY_ALREADY_SUPERSEDED)', ...moduleRefusals, ...limits },
        tags,
        security,
        summary: 'Replace a fact by a new version: the old one stays, valid until now, and reads leave it out by default',
        params: MemoryParams,
        body: SupersedeInput,
        response: { 201: MemoryBody },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      // The new version's type is the old one's unless given: both must be the module's to write.
      const stored = await storedType(identity, request.params.id);
      await moduleMayWrite(identity, [...stored, ...(request.body.type === undefined ? [] : [{ type: request.body.type, field: 'body.type' }])]);
      reply.code(201);
      return supersedeMemory(domain, identity, request.params.id, request.body);
    },
  );

  app.get('/v1/memories', { preHandler: read, schema: { operationId: 'listMemories', problems: { 400: `The cursor is not one this list gave out (MEMORY_INVALID_CURSOR), or ${asOfInvalid}` }, tags, security, summary: 'Memories, newest first, filtered and paged', querystring: ListQuery, response: { 200: MemoryList } } }, async (request) =>
    listMemories(domain, identityOf(request).organisation, request.query),
  );

  app.get('/v1/memories/:id', { preHandler: read, schema: { operationId: 'getMemory', problems: notFound, tags, security, summary: 'One memory', params: MemoryParams, response: { 200: MemoryBody } } }, async (request) =>
    getMemory(domain, identityOf(request).organisation, request.params.id),
  );

  app.patch('/v1/memories/:id', { preHandler: write, schema: { operationId: 'updateMemory', problems: { ...notFound, 400: badInput, 409: 'The memory was superseded: change its current version (MEMORY_ALREADY_SUPERSEDED)', ...moduleRefusals, ...embeddings }, tags, security, summary: 'Change a memory (given fields only; relations replace the outgoing ones)', params: MemoryParams, body: MemoryPatch, response: { 200: MemoryBody } } }, async (request) => {
    const identity = identityOf(request);
    await moduleMayWrite(identity, [...(await storedType(identity, request.params.id)), ...(request.body.type === undefined ? [] : [{ type: request.body.type, field: 'body.type' }])]);
    return updateMemory(domain, identity.organisation, request.params.id, request.body);
  });

  app.delete('/v1/memories/:id', { preHandler: write, schema: { operationId: 'deleteMemory', problems: { ...notFound, ...moduleRefusals }, tags, security, summary: 'Delete a memory, its relations and its index entries', params: MemoryParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    const identity = identityOf(request);
    await moduleMayWrite(identity, await storedType(identity, request.params.id));
    await deleteMemory(domain, identity.organisation, request.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/v1/memories/:id/related',
    { preHandler: read, schema: { operationId: 'listRelatedMemories', problems: { ...notFound, 400: asOfInvalid }, tags, security, summary: 'Memories linked to this one, by relations either way, nearest first (current versions, or those valid at asOf)', params: MemoryParams, querystring: RelatedQuery, response: { 200: RelatedBody } } },
    async (request) => relatedMemories(domain, identityOf(request).organisation, request.params.id, request.query),
  );
}
