import type { MemoryDomain } from './memory-domain.js';
import { validityOf } from './facts-over-time.js';
import { notFound, viewsOf } from './memories.js';
import type { MemoryView } from './schemas.js';

/** Edges followed from one memory per step: a hub with thousands of links cannot blow up the walk. */
const fanOut = 50;

interface Reached {
  readonly depth: number;
  readonly via: { from: string; predicate: string; direction: 'outgoing' | 'incoming' };
}

/**
 * Breadth-first walk of the relations around a memory, both directions, up to `depth` steps and
 * `limit` memories; each memory once, at its shortest distance. `predicate` follows only that kind.
 */
export async function relatedMemories(
  domain: MemoryDomain,
  organisationId: string,
  startId: string,
  options: { depth: number; predicate?: string | undefined; limit: number; asOf?: string | undefined; includeSuperseded?: boolean | undefined },
): Promise<{ items: { memory: MemoryView; depth: number; via: Reached['via'] }[]; nextCursor: null }> {
  const validity = validityOf(domain.clock, options, 'querystring.asOf');
  if (!(await domain.store.memories.byId(organisationId, startId))) throw notFound();
  // The walk goes only through versions valid at the instant (now: current ones), by relations that existed then.
  const createdBy = typeof validity === 'object' ? validity.asOf : undefined;
  const reached = new Map<string, Reached>();
  let frontier = [startId];
  for (let depth = 1; depth <= options.depth && frontier.length > 0 && reached.size < options.limit; depth += 1) {
    const edges = await domain.store.relations.touching(organisationId, frontier, options.predicate, createdBy);
    const ends = [...new Set(edges.flatMap((edge) => [edge.source_id, edge.target_id]))].filter((id) => !reached.has(id) && id !== startId);
    const valid = new Set((await domain.store.memories.byIds(organisationId, ends, { validity })).map((row) => row.id));
    const perNode = new Map<string, number>();
    const next: string[] = [];
    for (const edge of edges) {
      for (const [from, to, direction] of [[edge.source_id, edge.target_id, 'outgoing'], [edge.target_id, edge.source_id, 'incoming']] as const) {
        if (!frontier.includes(from) || to === startId || reached.has(to) || !valid.has(to) || reached.size >= options.limit) continue;
        const used = perNode.get(from) ?? 0;
        if (used >= fanOut) continue;
        perNode.set(from, used + 1);
        reached.set(to, { depth, via: { from, predicate: edge.predicate, direction } });
        next.push(to);
      }
    }
    frontier = next;
  }
  const rows = await domain.store.memories.byIds(organisationId, [...reached.keys()]);
  const views = new Map((await viewsOf(domain, organisationId, rows)).map((view) => [view.id, view]));
  const items = [...reached.entries()].flatMap(([id, how]) => {
    const memory = views.get(id);
    return memory ? [{ memory, ...how }] : [];
  });
  return { items, nextCursor: null };
}
