/** The constant of reciprocal rank fusion (Cormack et al. 2009): dampens how much the very top ranks dominate. */
export const rrfK = 60;

/**
 * Reciprocal rank fusion: each memory scores Σ weight / (k + rank) over the rankings it appears in
 * (rank 1 = best). Rankings on incomparable scales (bm25, cosine, graph distance) combine without
 * calibrating them against each other.
 */
export function fuseRankings(rankings: readonly { weight: number; ids: readonly string[] }[]): Map<string, number> {
  const fused = new Map<string, number>();
  for (const { weight, ids } of rankings) {
    if (weight <= 0) continue;
    ids.forEach((id, position) => fused.set(id, (fused.get(id) ?? 0) + weight / (rrfK + position + 1)));
  }
  return fused;
}

/** Ids by score, best first; ties by id so answers are stable. */
export function byScore(scores: ReadonlyMap<string, number>): string[] {
  return [...scores.keys()].sort((a, b) => (scores.get(b) as number) - (scores.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0));
}
