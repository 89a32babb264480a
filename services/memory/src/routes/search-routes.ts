import { identityOf, type ServiceApp } from '@lift/kit';
import type { MemoryDomain } from '../memory-domain.js';
import { SearchBatchInput, SearchBatchResult, SearchInput, SearchResult } from '../schemas.js';
import { searchMemories } from '../search/search.js';

const tags = ['search'];
const security = [{ bearerAuth: [] }];
const badQuery = {
  400: 'The query is missing or only whitespace (MEMORY_QUERY_EMPTY); a conceptual search lacks its space or point (MEMORY_POINT_REQUIRED), names a space the organisation does not have (MEMORY_SPACE_UNKNOWN), a dimension it does not have, leaves one out or puts it out of range (MEMORY_DIMENSION_UNKNOWN, _MISSING, _OUT_OF_RANGE), or weighs every dimension 0 (MEMORY_DIMENSION_WEIGHTS_INVALID)',
};

/** Hybrid, neural, full-text, knowledge and conceptual search; a batch runs each query as one search (and is metered so). */
export async function searchRoutes(app: ServiceApp, domain: MemoryDomain): Promise<void> {
  const read = app.requirePermission('memory:read');
  app.post('/v1/search', { preHandler: read, schema: { operationId: 'searchMemories', problems: badQuery, tags, security, summary: 'Search the organisation\'s memories', body: SearchInput, response: { 200: SearchResult } } }, async (request) =>
    searchMemories(domain, identityOf(request).organisation, request.body),
  );
  app.post('/v1/search/batch', { preHandler: read, schema: { operationId: 'searchMemoriesBatch', problems: badQuery, tags, security, summary: 'Several searches in one request, answered in order', body: SearchBatchInput, response: { 200: SearchBatchResult } } }, async (request) => {
    const organisationId = identityOf(request).organisation;
    const results = [];
    // One after another: the searches share the event loop anyway, and order keeps tookMs honest.
    for (const [index, query] of request.body.queries.entries()) results.push(await searchMemories(domain, organisationId, query, `body.queries[${index}]`));
    return { results };
  });
}
