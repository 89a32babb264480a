import { identityOf, type ServiceApp } from '@lift/kit';
import type { MemoryDomain } from '../memory-domain.js';
import { memoryGuards } from './module-guards.js';
import { assertModuleMaySearch } from '../module-access/module-memory-access.js';
import { SearchBatchInput, SearchBatchResult, SearchInput, SearchResult } from '../schemas.js';
import { searchMemories } from '../search/search.js';

const tags = ['search'];
const security = [{ bearerAuth: [] }];
const badQuery = {
  400: 'The query is missing or only whitespace (MEMORY_QUERY_EMPTY); asOf is not an ISO-8601 timestamp or is in the future (MEMORY_AS_OF_INVALID); a conceptual search lacks its space or point (MEMORY_POINT_REQUIRED), names a space the organisation does not have (MEMORY_SPACE_UNKNOWN), a dimension it does not have, leaves one out or puts it out of range (MEMORY_DIMENSION_UNKNOWN, _MISSING, _OUT_OF_RANGE), or weighs every dimension 0 (MEMORY_DIMENSION_WEIGHTS_INVALID)',
  403: 'A module\'s token searching in a mode its manifest does not declare (MEMORY_MODULE_NOT_ALLOWED)',
  503: 'A neural search cannot embed its query: the embeddings model fails (MEMORY_EMBEDDINGS_UNAVAILABLE); hybrid and knowledge go on without the neural signal',
};

/** Hybrid, neural, full-text, knowledge and conceptual search; a batch runs each query as one search (and is metered so). */
export async function searchRoutes(app: ServiceApp, domain: MemoryDomain): Promise<void> {
  const read = memoryGuards(app, domain).withPermission('memory:read');
  app.post('/v1/search', { preHandler: read, schema: { operationId: 'searchMemories', problems: badQuery, tags, security, summary: 'Search the organisation\'s memories', body: SearchInput, response: { 200: SearchResult } } }, async (request) => {
    const identity = identityOf(request);
    // A module's delegated token searches only in the kinds its manifest declares (searchTypes).
    await assertModuleMaySearch(domain.moduleAccess, identity, [{ search: request.body, field: 'body' }]);
    return searchMemories(domain, identity.organisation, request.body);
  });
  app.post('/v1/search/batch', { preHandler: read, schema: { operationId: 'searchMemoriesBatch', problems: badQuery, tags, security, summary: 'Several searches in one request, answered in order', body: SearchBatchInput, response: { 200: SearchBatchResult } } }, async (request) => {
    const identity = identityOf(request);
    const organisationId = identity.organisation;
    await assertModuleMaySearch(domain.moduleAccess, identity, request.body.queries.map((search, index) => ({ search, field: `body.queries[${index}]` })));
    const results = [];
    // One after another: the searches share the event loop anyway, and order keeps tookMs honest.
    for (const [index, query] of request.body.queries.entries()) results.push(await searchMemories(domain, organisationId, query, `body.queries[${index}]`));
    return { results };
  });
}
