import { DependencyUnavailableError, InvalidInputError } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';
import { validityOf } from '../facts-over-time.js';
import type { MemoryDomain } from '../memory-domain.js';
import { viewsOf } from '../memories.js';
import type { SearchAnswer, SearchModeName, SearchRequest } from '../schemas.js';
import type { MemoryFilters } from '../store/index.js';
import { conceptualScores, measuredDimensions } from './conceptual-signal.js';
import { knowledgeScores, knowledgeSeeds } from './knowledge-signal.js';
import { queryWords } from './query-words.js';
import { byScore, fuseRankings } from './rank-fusion.js';

type Signal = 'fulltext' | 'neural' | 'knowledge' | 'conceptual';
const allSignals = ['fulltext', 'neural', 'knowledge', 'conceptual'] as const;
const defaultWeights: Record<Signal, number> = { fulltext: 1, neural: 1, knowledge: 0.5, conceptual: 1 };

/**
 * One search in the caller's organisation. Each signal ranks its own candidates (full text in the
 * database, neural in the vector index, knowledge around the best of both); the mode picks one
 * signal's score, or fuses the rankings (hybrid). Filters apply to every signal's candidates.
 * Conceptual ranks by distance from a point in a space; it joins hybrid when the request names both.
 */
export async function searchMemories(domain: MemoryDomain, organisationId: string, request: SearchRequest, field = 'body'): Promise<SearchAnswer> {
  const started = performance.now();
  const mode: SearchModeName = request.mode ?? 'hybrid';
  const query = request.query ?? '';
  checkRequestShape(request, mode, field);
  const limit = request.limit ?? 10;
  // Current facts unless the request asks for an instant (asOf) or for superseded ones too.
  const filters: MemoryFilters = { ...request.filters, validity: validityOf(domain.clock, request, `${field}.asOf`) };
  // Each signal looks deeper than the page, so fusion has overlap to work with.
  const depth = Math.min(300, Math.max(30, limit * 3));
  const signals: Partial<Record<Signal, Map<string, number>>> = {};

  // A conceptual place is checked before any other work, so bad input answers the same in every mode.
  if (request.space !== undefined && request.point !== undefined) {
    const place = { space: request.space, point: request.point, weights: request.weights?.dimensions };
    if (mode === 'conceptual' || mode === 'hybrid') signals.conceptual = await conceptualScores(domain, organisationId, place, filters, depth, field);
    else await measuredDimensions(domain, organisationId, place, field);
  }
  if (mode !== 'conceptual') {
    if (mode !== 'neural') signals.fulltext = new Map((await domain.store.fullText.search(organisationId, queryWords(query), filters, depth)).map((hit) => [hit.id, hit.score]));
    if (mode !== 'fulltext') signals.neural = await neuralOrWithout(domain, mode, () => neuralScores(domain, organisationId, query, filters, depth));
    if (mode === 'knowledge' || mode === 'hybrid') {
      signals.knowledge = await knowledgeScores(domain.store, organisationId, seedsOf(signals.fulltext, signals.neural));
    }
  }

  const { dimensions: _dimensionWeights, ...signalWeights } = request.weights ?? {};
  const weights = { ...defaultWeights, ...signalWeights };
  let scores: Map<string, number>;
  if (mode === 'hybrid') {
    scores = fuseRankings(allSignals.map((signal) => ({ weight: weights[signal], ids: byScore(signals[signal] ?? new Map()) })));
  } else {
    scores = signals[mode] ?? new Map();
    if (mode === 'knowledge') signals.fulltext = signals.neural = undefined;
    if (mode === 'neural') signals.fulltext = undefined;
  }

  const ranked = byScore(scores).filter((id) => (scores.get(id) as number) >= (request.minScore ?? Number.NEGATIVE_INFINITY));
  // Loaded with the filters again: the graph walk and the index know nothing of them.
  const rows = new Map((await domain.store.memories.byIds(organisationId, ranked.slice(0, limit * 4 + 50), filters)).map((row) => [row.id, row]));
  const page = ranked.filter((id) => rows.has(id)).slice(0, limit);
  const views = await viewsOf(domain, organisationId, page.map((id) => rows.get(id)!));
  return {
    mode,
    items: views.map((memory) => ({
      memory,
      score: scores.get(memory.id) as number,
      signals: Object.fromEntries(allSignals.flatMap((signal) => (signals[signal]?.has(memory.id) ? [[signal, signals[signal]!.get(memory.id) as number]] : []))),
    })),
    tookMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/** What the schema cannot say: a query unless conceptual; space and point together, and when conceptual or weighing dimensions. */
function checkRequestShape(request: SearchRequest, mode: SearchModeName, field: string): void {
  if (mode !== 'conceptual' && (request.query ?? '').trim() === '') throw new InvalidInputError(memoryErrorCodes.emptyQuery, 'query is missing or only whitespace; say what to look for.', { field: `${field}.query` });
  if ((request.space === undefined) !== (request.point === undefined) || (mode === 'conceptual' && request.space === undefined)) {
    const missing = request.space === undefined ? 'space' : 'point';
    throw new InvalidInputError(memoryErrorCodes.pointRequired, `A conceptual search needs both space and point; give ${missing} too.`, { field: `${field}.${missing}` });
  }
  if (request.weights?.dimensions !== undefined && request.space === undefined) {
    throw new InvalidInputError(memoryErrorCodes.pointRequired, 'weights.dimensions weighs the dimensions of a space; give space and point too.', { field: `${field}.space` });
  }
}

/**
 * A hybrid or knowledge search goes on without the neural signal while the embeddings model
 * fails (full text, the graph and a conceptual point still rank; the log says so); a neural
 * search is the model, so it answers the 503.
 */
async function neuralOrWithout(domain: MemoryDomain, mode: SearchModeName, neural: () => Promise<Map<string, number>>): Promise<Map<string, number> | undefined> {
  try {
    return await neural();
  } catch (error) {
    if (mode === 'neural' || !(error instanceof DependencyUnavailableError) || error.code !== memoryErrorCodes.embeddingsUnavailable) throw error;
    domain.log.warn({ mode }, 'searching without the neural signal: the embeddings model fails');
    return undefined;
  }
}

/**
 * Cosine similarity from the vector index. With filters the index is asked for more neighbours
 * (it cannot filter), then the filters are applied when the memories are loaded.
 */
async function neuralScores(domain: MemoryDomain, organisationId: string, query: string, filters: MemoryFilters, depth: number): Promise<Map<string, number>> {
  const [vector] = (await domain.embedder.embed([query])) as [Float32Array];
  // A query with nothing the embedder can use (no letters or digits) is similar to nothing; the
  // cosine of two empty vectors would otherwise call it identical to every empty memory.
  if (vector.every((value) => value === 0)) return new Map();
  await domain.indexReady;
  // Validity is a filter too: superseded vectors stay in the index and are left out here. Only a
  // narrowing filter asks the index for more neighbours: the default "current only" drops the few
  // superseded ones (asking 8× for it made every search load 240 rows instead of 30).
  const filtered = Object.values(filters).some((value) => value !== undefined && value !== 'all');
  const narrowing = Object.entries(filters).some(([name, value]) => value !== undefined && value !== 'all' && !(name === 'validity' && value === 'current'));
  const hits = domain.index.search(organisationId, vector, narrowing ? Math.min(2_000, depth * 8) : Math.min(2_000, depth * 2)).filter((hit) => hit.similarity > 0);
  if (!filtered) return new Map(hits.map((hit) => [hit.id, hit.similarity]));
  const passing = new Set((await domain.store.memories.byIds(organisationId, hits.map((hit) => hit.id), filters)).map((row) => row.id));
  return new Map(hits.filter((hit) => passing.has(hit.id)).slice(0, depth).map((hit) => [hit.id, hit.similarity]));
}

/**
 * The strongest direct matches, each with a strength in 0–1 comparable across signals: the best
 * of its cosine similarity and its full-text score relative to the best full-text hit. (Rank
 * fusion would not do here: it gives the 2nd and 1st hits nearly the same weight however far apart they are.)
 */
function seedsOf(fulltext: ReadonlyMap<string, number> = new Map(), neural: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const best = Math.max(0, ...fulltext.values());
  const strength = new Map<string, number>();
  for (const [id, score] of fulltext) strength.set(id, best > 0 ? score / best : 0);
  for (const [id, similarity] of neural) strength.set(id, Math.max(strength.get(id) ?? 0, Math.max(0, similarity)));
  return new Map(byScore(strength).slice(0, knowledgeSeeds).map((id) => [id, strength.get(id) as number]));
}
