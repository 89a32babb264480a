import { InvalidInputError, NotFoundError, nowIso, type Identity } from '@lift/kit';
import { alreadySuperseded, nearDuplicateOf, validityOf } from './facts-over-time.js';
import { memoryErrorCodes } from './errors.js';
import { checkPlacements } from './conceptual-spaces.js';
import { assertRoomFor } from './limits/item-limits.js';
import { decodeCursor, encodeCursor } from './list-cursor.js';
import type { MemoryDomain } from './memory-domain.js';
import { sourceOf } from './memory-source.js';
import { newMemoryIds } from './memory-id.js';
import { memoryView } from './memory-view.js';
import type { MemoryQueries, MemoryRow, RelationRow } from './store/index.js';
import type { MemoryView } from './schemas.js';
import { vectorToBytes } from './vector-index/vector-index.js';

export interface MemoryInputFields {
  readonly content: string;
  readonly type?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly relations?: readonly { predicate: string; target: string }[] | undefined;
  readonly userId?: string | undefined;
  readonly sessionId?: string | undefined;
  readonly dimensions?: Placement | undefined;
}

/** Where a memory sits in a conceptual space. */
export interface Placement {
  readonly space: string;
  readonly values: Record<string, number>;
}

/** A patch may also clear the scopes and the placement with null. */
export type MemoryPatchFields = Partial<Omit<MemoryInputFields, 'userId' | 'sessionId' | 'dimensions'>> & {
  readonly userId?: string | null | undefined;
  readonly sessionId?: string | null | undefined;
  readonly dimensions?: Placement | null | undefined;
};

const maxMetadataBytes = 16_384;
/** Levels of objects and arrays in metadata, the top-level object being 1. */
export const maxMetadataDepth = 8;
const nul = '\u0000';

/**
 * Why metadata cannot be stored, if it cannot: nested deeper than {@link maxMetadataDepth}, or a
 * NUL character in a key or a string (PostgreSQL's jsonb and text refuse it). Iterative, so a
 * body nested thousands deep is answered, not a stack overflow.
 */
function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: metadata, depth: 1 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (value.includes(nul)) return 'holds a NUL character (U+0000) in a string; remove it';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxMetadataDepth) return `is nested deeper than ${maxMetadataDepth} levels; flatten it`;
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes(nul)) return 'holds a NUL character (U+0000) in a key; remove it';
      pending.push({ value: inner, depth: depth + 1 });
    }
  }
  return undefined;
}

export const notFound = () => new NotFoundError(memoryErrorCodes.notFound, 'No memory with that id in your organisation.');

/** Content and metadata rules the schema cannot say; `field` is where the item sits in the request. */
function checkFields(input: MemoryPatchFields, field: string): void {
  if (input.content !== undefined && input.content.trim() === '') throw new InvalidInputError(memoryErrorCodes.contentEmpty, 'content is only whitespace; give the text to remember.', { field: `${field}.content` });
  if (input.content?.includes(nul)) throw new InvalidInputError(memoryErrorCodes.contentInvalid, 'content holds a NUL character (U+0000), which cannot be stored as text; remove it.', { field: `${field}.content` });
  const problem = input.metadata === undefined ? undefined : metadataProblem(input.metadata);
  if (problem) throw new InvalidInputError(memoryErrorCodes.metadataInvalid, `metadata ${problem}.`, { field: `${field}.metadata` });
  if (input.metadata !== undefined && Buffer.byteLength(JSON.stringify(input.metadata)) > maxMetadataBytes) {
    throw new InvalidInputError(memoryErrorCodes.metadataTooLarge, `metadata is larger than ${maxMetadataBytes} bytes as JSON; keep large data elsewhere and store a reference.`, { field: `${field}.metadata` });
  }
}

/** Every relation target must be a memory of the same organisation (another org's is as missing as a deleted one). */
async function checkTargets(queries: MemoryQueries, organisationId: string, items: readonly { relations?: MemoryInputFields['relations'] }[], fieldOf: (item: number) => string): Promise<void> {
  const targets = items.flatMap((item) => (item.relations ?? []).map((relation) => relation.target));
  const existing = await queries.memories.existingIds(organisationId, [...new Set(targets)]);
  items.forEach((item, index) =>
    (item.relations ?? []).forEach((relation, position) => {
      if (!existing.has(relation.target)) {
        throw new InvalidInputError(memoryErrorCodes.relationTargetNotFound, `Relation target ${relation.target} is not a memory of your organisation; store it first.`, { field: `${fieldOf(index)}.relations[${position}].target` });
      }
    }),
  );
}

/** How a new memory replaces an older one: by naming it, or by being a near-duplicate of it (`merge`). */
export interface Supersession {
  readonly supersedes?: string | undefined;
  readonly onDuplicate?: 'keep' | 'merge' | undefined;
}

/**
 * Stores memories for the caller's organisation, atomically: the relations' targets, the memories
 * superseded and the plan's memory_items limit are checked in the same transaction as the insert.
 * Then the index learns the vectors and billing the new count. A superseded memory stays stored
 * (and in the index) with its validity ended; reads leave it out unless asked for it.
 */
export async function createMemories(domain: MemoryDomain, identity: Identity, items: readonly (MemoryInputFields & Supersession)[], fieldOf: (item: number) => string, supersedesFieldOf: (item: number) => string = (index) => `${fieldOf(index)}.supersedes`): Promise<MemoryView[]> {
  items.forEach((item, index) => checkFields(item, fieldOf(index)));
  const organisationId = identity.organisation;
  const limit = await domain.limits.limitOf(organisationId);
  const vectors = await domain.embedder.embed(items.map((item) => item.content));
  const at = nowIso(domain.clock);
  const source = sourceOf(identity);
  const ids = newMemoryIds(items.length, domain.clock.now());
  const rows: MemoryRow[] = items.map((item, index) => ({
    id: ids[index] as string,
    organisation_id: organisationId,
    type: item.type ?? 'general',
    content: item.content,
    tags: JSON.stringify(item.tags ?? []),
    metadata: JSON.stringify(item.metadata ?? {}),
    source,
    embedding: vectorToBytes(vectors[index] as Float32Array),
    embedding_model: domain.embedder.model,
    created_at: at,
    updated_at: at,
    user_id: item.userId ?? null,
    session_id: item.sessionId ?? null,
    space: item.dimensions?.space ?? null,
    space_values: item.dimensions ? JSON.stringify(item.dimensions.values) : null,
    valid_to: null,
    supersedes: item.supersedes ?? null,
    superseded_by: null,
  }));
  const relations: RelationRow[] = items.flatMap((item, index) => (item.relations ?? []).map((relation) => ({ organisation_id: organisationId, source_id: (rows[index] as MemoryRow).id, predicate: relation.predicate, target_id: relation.target, created_at: at })));
  await domain.writes.run(organisationId, async () => {
    // Inside the organisation's turn, so two merges of one fact in parallel find it one after the
    // other. Within a batch the first item merging into a memory does; a later one near the same
    // memory is stored as new (the review saw the whole batch refused as "already superseded").
    const claimed = new Set(items.flatMap((item) => (item.supersedes === undefined ? [] : [item.supersedes])));
    for (const [index, item] of items.entries()) {
      const row = rows[index] as MemoryRow;
      if (item.supersedes !== undefined || item.onDuplicate !== 'merge') continue;
      const duplicate = await nearDuplicateOf(domain, organisationId, { type: row.type, userId: row.user_id, sessionId: row.session_id }, vectors[index] as Float32Array);
      if (duplicate !== undefined && !claimed.has(duplicate)) {
        claimed.add(duplicate);
        row.supersedes = duplicate;
      }
    }
    const stored = await domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      await checkTargets(queries, organisationId, items, fieldOf);
      await checkPlacements(queries, organisationId, items.map((item) => item.dimensions), (index) => `${fieldOf(index)}.dimensions`);
      const superseded = await checkSuperseded(queries, organisationId, rows, (index) => (items[index]?.supersedes === undefined ? fieldOf(index) : supersedesFieldOf(index)));
      const before = await queries.memories.count(organisationId);
      assertRoomFor(limit, before, rows.length);
      await queries.memories.insert(rows);
      await queries.relations.insert(relations);
      for (const [index, old] of superseded) {
        const row = rows[index] as MemoryRow;
        if (!(await queries.memories.markSuperseded(organisationId, old.id, row.id, at))) throw alreadySuperseded(old, fieldOf(index));
        // What linked to the old version links to the new one too (the old edges stay, for walks as of before).
        const incoming = await queries.relations.incoming(organisationId, old.id);
        await queries.relations.insert(incoming.filter((edge) => edge.source_id !== row.id).map((edge) => ({ ...edge, target_id: row.id, created_at: at })));
      }
      return before + rows.length;
    });
    await domain.indexReady;
    domain.index.upsert(organisationId, rows.map((row, index) => ({ id: row.id, vector: vectors[index] as Float32Array })));
    domain.indexFeed.changed(organisationId, { upserted: rows.map((row) => row.id) });
    domain.storedCount.report(organisationId, stored);
  });
  return viewsOf(domain, organisationId, rows);
}

/** The memories the new rows supersede, by row index: each must be a current memory of the organisation, and superseded once. */
async function checkSuperseded(queries: MemoryQueries, organisationId: string, rows: readonly MemoryRow[], fieldOf: (item: number) => string): Promise<Map<number, MemoryRow>> {
  const wanted = rows.flatMap((row, index) => (row.supersedes === null ? [] : [[index, row.supersedes] as const]));
  const found = new Map((await queries.memories.byIds(organisationId, wanted.map(([, id]) => id))).map((row) => [row.id, row]));
  const superseded = new Map<number, MemoryRow>();
  const claimed = new Set<string>();
  for (const [index, id] of wanted) {
    const old = found.get(id);
    if (!old) throw new NotFoundError(memoryErrorCodes.notFound, `No memory ${id} in your organisation to supersede.`, { extensions: { field: fieldOf(index) } });
    if (old.valid_to !== null || claimed.has(id)) throw alreadySuperseded(old, fieldOf(index));
    claimed.add(id);
    superseded.set(index, old);
  }
  return superseded;
}

/**
 * A new version of a memory: the new content, with every other field the old version's unless
 * given (its outgoing relations too). The old version stays, valid until now.
 */
export async function supersedeMemory(domain: MemoryDomain, identity: Identity, id: string, input: MemoryInputFields): Promise<MemoryView> {
  const old = await domain.store.memories.byId(identity.organisation, id);
  if (!old) throw notFound();
  if (old.valid_to !== null) throw alreadySuperseded(old, 'params.id');
  const [view] = (await viewsOf(domain, identity.organisation, [old])) as [MemoryView];
  const version: MemoryInputFields & Supersession = {
    content: input.content,
    type: input.type ?? view.type,
    tags: input.tags ?? view.tags,
    metadata: input.metadata ?? view.metadata,
    relations: input.relations ?? view.relations,
    userId: input.userId ?? view.userId,
    sessionId: input.sessionId ?? view.sessionId,
    dimensions: input.dimensions ?? view.dimensions,
    supersedes: id,
  };
  // The memory superseded is the one in the path: a refusal names it there, not in a body field.
  const [memory] = await createMemories(domain, identity, [version], () => 'body', () => 'params.id');
  return memory as MemoryView;
}

export async function getMemory(domain: MemoryDomain, organisationId: string, id: string): Promise<MemoryView> {
  const row = await domain.store.memories.byId(organisationId, id);
  if (!row) throw notFound();
  return memoryView(row, await domain.store.relations.outgoing(organisationId, [id]));
}

/** The organisation's memories, newest first, with the views' relations loaded in one query. */
export async function viewsOf(domain: MemoryDomain, organisationId: string, rows: readonly MemoryRow[]): Promise<MemoryView[]> {
  const relations = await domain.store.relations.outgoing(organisationId, rows.map((row) => row.id));
  return rows.map((row) => memoryView(row, relations));
}

export async function listMemories(
  domain: MemoryDomain,
  organisationId: string,
  query: { type?: string | undefined; tag?: string | undefined; source?: string | undefined; userId?: string | undefined; sessionId?: string | undefined; limit: number; cursor?: string | undefined; asOf?: string | undefined; includeSuperseded?: boolean | undefined },
) {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const filters = {
    types: query.type === undefined ? undefined : [query.type],
    tags: query.tag === undefined ? undefined : [query.tag],
    sources: query.source === undefined ? undefined : [query.source],
    userId: query.userId,
    sessionId: query.sessionId,
    validity: validityOf(domain.clock, query, 'querystring.asOf'),
  };
  const rows = await domain.store.memories.list(organisationId, filters, after, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: await viewsOf(domain, organisationId, page), nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null };
}

/** Changes what is given; new content is embedded again and replaces the vector in the index. */
export async function updateMemory(domain: MemoryDomain, organisationId: string, id: string, patch: MemoryPatchFields): Promise<MemoryView> {
  checkFields(patch, 'body');
  const vector = patch.content === undefined ? undefined : (await domain.embedder.embed([patch.content]))[0];
  const at = nowIso(domain.clock);
  await domain.writes.run(organisationId, async () => {
    await domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      const stored = await queries.memories.byId(organisationId, id);
      if (!stored) throw notFound();
      // History is kept as it was: a superseded version is not changed, its successor is.
      if (stored.valid_to !== null) throw alreadySuperseded(stored, 'params.id');
      if (patch.relations !== undefined) {
        await checkTargets(queries, organisationId, [patch], () => 'body');
        await queries.relations.replaceFrom(organisationId, id, patch.relations.map((relation) => ({ organisation_id: organisationId, source_id: id, predicate: relation.predicate, target_id: relation.target, created_at: at })));
      }
      await checkPlacements(queries, organisationId, [patch.dimensions], () => 'body.dimensions');
      await queries.memories.update(organisationId, id, {
        updated_at: at,
        ...(patch.type === undefined ? {} : { type: patch.type }),
        ...(patch.tags === undefined ? {} : { tags: JSON.stringify(patch.tags) }),
        ...(patch.metadata === undefined ? {} : { metadata: JSON.stringify(patch.metadata) }),
        ...(patch.content === undefined || vector === undefined ? {} : { content: patch.content, embedding: vectorToBytes(vector), embedding_model: domain.embedder.model }),
        ...(patch.userId === undefined ? {} : { user_id: patch.userId }),
        ...(patch.sessionId === undefined ? {} : { session_id: patch.sessionId }),
        ...(patch.dimensions === undefined ? {} : { space: patch.dimensions?.space ?? null, space_values: patch.dimensions ? JSON.stringify(patch.dimensions.values) : null }),
      });
    });
    if (vector !== undefined) {
      await domain.indexReady;
      domain.index.upsert(organisationId, [{ id, vector }]);
      domain.indexFeed.changed(organisationId, { upserted: [id] });
    }
  });
  return getMemory(domain, organisationId, id);
}

/** The memory, its relations either way, its full-text entry and its vector. */
export async function deleteMemory(domain: MemoryDomain, organisationId: string, id: string): Promise<void> {
  await domain.writes.run(organisationId, async () => {
    const stored = await domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      if (!(await queries.memories.remove(organisationId, id))) throw notFound();
      return queries.memories.count(organisationId);
    });
    await domain.indexReady;
    domain.index.remove(organisationId, [id]);
    domain.indexFeed.changed(organisationId, { removed: [id] });
    domain.storedCount.report(organisationId, stored);
  });
}
