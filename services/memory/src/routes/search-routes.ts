import { identityOf, type ServiceApp } from '@lift/kit';
import type { MemoryDomain } from '../memory-domain.js';
import { SearchBatchInput, SearchBatchResult, SearchInput, SearchResult } from '../schemas.js';
import { searchMemories } from '../search/search.js';

const tags = ['search'];
const security = [{ bearerAuth: [] }];
const badQuery = { 400: 'The query is only whitespace (MEMORY_QUERY_EMPTY)', 503: 'A neural or hybrid search cannot embed its query: the embeddings model fails (MEMORY_EMBEDDINGS_UNAVAILABLE)' };

/** Hybrid, neural, full-text and knowledge search; a batch runs each query as one search (and is metered so). */
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
