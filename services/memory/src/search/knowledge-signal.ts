import type { MemoryStore } from '../store/index.js';

/** Seeds taken from the best direct matches; how far and how wide the walk from them goes. */
export const knowledgeSeeds = 5;
const hops = 2;
const fanOutPerHop = 100;
const decayPerHop = 0.5;

/**
 * The knowledge-graph signal: the neighbourhood of the best direct matches. `seeds` maps each to
 * how well it matched directly (0–1); a memory `h` relations away (either direction) from a seed
 * scores the seed's strength times 0.5^h; a memory reached from several seeds keeps its best. So what the matches are linked
 * to — a decision's rationale, a fact's source — is found even when it shares no words with the query.
 */
export async function knowledgeScores(store: MemoryStore, organisationId: string, seeds: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const scores = new Map<string, number>(seeds);
  let frontier = [...scores.keys()];
  for (let hop = 1; hop <= hops && frontier.length > 0; hop += 1) {
    const edges = await store.relations.touching(organisationId, frontier);
    const next: string[] = [];
    for (const edge of edges.slice(0, fanOutPerHop * frontier.length)) {
      for (const [from, to] of [[edge.source_id, edge.target_id], [edge.target_id, edge.source_id]] as const) {
        const fromScore = scores.get(from);
        if (fromScore === undefined || !frontier.includes(from)) continue;
        const score = fromScore * decayPerHop;
        if ((scores.get(to) ?? 0) < score) {
          if (!scores.has(to)) next.push(to);
          scores.set(to, score);
        }
      }
    }
    frontier = next.slice(0, fanOutPerHop);
  }
  return scores;
}
