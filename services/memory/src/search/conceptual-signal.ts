import { InvalidInputError } from '@lift/kit';
import { checkCoordinates, checkDimensionNames, dimensionsOf, ownValue, unknownSpace, type SpaceDimension } from '../conceptual-spaces.js';
import { memoryErrorCodes } from '../errors.js';
import type { MemoryDomain } from '../memory-domain.js';
import type { MemoryFilters } from '../store/index.js';
import { byScore } from './rank-fusion.js';

export interface ConceptualQuery {
  readonly space: string;
  readonly point: Readonly<Record<string, number>>;
  /** Per dimension, replacing the space's own weight; dimensions not named keep theirs. */
  readonly weights?: Readonly<Record<string, number>> | undefined;
}

/**
 * Weighted Euclidean distance between two places in a space, each dimension's difference divided
 * by its range first (so a 0–1 dimension and a 0–1000 one count alike unless weighted otherwise)
 * and the weights normalised to sum to 1: 0 is the same place, 1 the opposite corner.
 */
export function conceptualDistance(dimensions: readonly { name: string; min: number; max: number; weight: number }[], a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  let sum = 0;
  let totalWeight = 0;
  for (const { name, min, max, weight } of dimensions) {
    const difference = ((ownValue(a, name) ?? Number.NaN) - (ownValue(b, name) ?? Number.NaN)) / (max - min);
    sum += weight * difference * difference;
    totalWeight += weight;
  }
  return Math.sqrt(sum / totalWeight);
}

/**
 * The conceptual signal: every memory placed in the space (and passing the filters) scored
 * 1 − distance from the point, so 1 is at the point and 0 as far as the space allows; the nearest
 * `depth` are kept, as each signal keeps its best. An exact scan of the space's placements in the database: spaces hold hand-placed memories, not every one.
 */
export async function conceptualScores(domain: MemoryDomain, organisationId: string, query: ConceptualQuery, filters: MemoryFilters, depth: number, field: string): Promise<Map<string, number>> {
  const dimensions = await measuredDimensions(domain, organisationId, query, field);
  const placed = await domain.store.spaces.placed(organisationId, query.space, filters);
  // A placement that no longer fits the space (NaN distance) is left out rather than scored.
  const scored = placed.map((memory) => [memory.id, 1 - conceptualDistance(dimensions, query.point, JSON.parse(memory.values ?? '{}') as Record<string, number>)] as const);
  const scores = new Map(scored.filter(([, score]) => Number.isFinite(score)));
  return new Map(byScore(scores).slice(0, depth).map((id) => [id, scores.get(id) as number]));
}

/**
 * The space's dimensions with the request's weights, once the space, the point and the weights
 * are known to fit it (400 naming the field otherwise). Every mode checks them, so a request
 * that names a space answers alike whichever mode it asks for.
 */
export async function measuredDimensions(domain: MemoryDomain, organisationId: string, query: ConceptualQuery, field: string): Promise<SpaceDimension[]> {
  const row = await domain.store.spaces.byName(organisationId, query.space);
  if (!row) throw unknownSpace(query.space, `${field}.space`);
  const dimensions = weighted(dimensionsOf(row), query.weights, `${field}.weights.dimensions`);
  checkCoordinates(dimensions, query.point, `${field}.point`);
  return dimensions;
}

function weighted(dimensions: readonly SpaceDimension[], weights: Readonly<Record<string, number>> = {}, field: string): SpaceDimension[] {
  checkDimensionNames(dimensions, weights, field);
  const result = dimensions.map((dimension) => ({ ...dimension, weight: ownValue(weights, dimension.name) ?? dimension.weight }));
  if (result.every((dimension) => dimension.weight === 0)) throw new InvalidInputError(memoryErrorCodes.weightsInvalid, 'Every dimension is weighted 0, which leaves no distance to rank by; give at least one a weight above 0.', { field });
  return result;
}
