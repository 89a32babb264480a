import { Type } from '@sinclair/typebox';
import { identityOf, type ServiceApp } from '@lift/kit';
import { eraseContext } from '../context-erase.js';
import { memoryStats } from '../insights.js';
import type { ReEmbedding } from '../embedding/re-embedding.js';
import type { MemoryDomain } from '../memory-domain.js';
import { memoryGuards } from './module-guards.js';

const security = [{ bearerAuth: [] }];
const Counts = Type.Record(Type.String(), Type.Integer());
const StatsBody = Type.Object({
  total: Type.Integer(),
  relations: Type.Integer(),
  byType: Counts,
  bySource: Counts,
  topTags: Counts,
  recentActivity: Type.Object({ createdPerDay: Type.Array(Type.Object({ day: Type.String(), created: Type.Integer() })), changedLastDay: Type.Integer(), changedLastWeek: Type.Integer() }),
  storage: Type.Object({ content: Type.Integer(), metadata: Type.Integer(), vectors: Type.Integer(), totalBytes: Type.Integer(), indexedVectors: Type.Integer() }),
  embeddingModel: Type.String(),
  reEmbedding: Type.Object(
    {
      state: Type.Union([Type.Literal('starting'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('done'), Type.Literal('stopped')], { description: 'of this replica\'s background work: paused while the model fails (it tries again)' }),
      pending: Type.Integer({ description: 'this organisation\'s memories still embedded by another model: found by full text, not yet by neural search' }),
    },
    { description: 'after a change of embedding model, memories are re-embedded in the background' },
  ),
});
const EraseBody = Type.Object({
  erased: Type.Integer({ description: 'memories deleted' }),
  remaining: Type.Object({ memories: Type.Integer(), tags: Type.Integer(), relations: Type.Integer(), fullText: Type.Integer(), spaces: Type.Integer(), indexEntries: Type.Integer() }, { description: 'what is left afterwards: all zero' }),
});

/** Insights over the organisation's memory, and erasing all of it. */
export async function insightRoutes(app: ServiceApp, domain: MemoryDomain, reEmbedder: ReEmbedding): Promise<void> {
  app.get('/v1/stats', { preHandler: memoryGuards(app, domain).withPermission('memory:read'), schema: { operationId: 'getMemoryStats', tags: ['insights'], security, summary: 'Counts by type, tag and source; recent activity; storage used', response: { 200: StatsBody } } }, async (request) =>
    memoryStats(domain, identityOf(request).organisation, reEmbedder),
  );
  app.delete('/v1/context', { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'eraseContext', tags: ['context'], security, summary: 'Erase the organisation\'s whole memory (rows, full-text entries and index entries)', response: { 200: EraseBody } } }, async (request) =>
    eraseContext(domain, identityOf(request).organisation),
  );
}
