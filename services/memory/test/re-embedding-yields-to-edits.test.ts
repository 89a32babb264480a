import { describe, expect, it } from 'vitest';
import { embedText } from '../src/embedding/local-embedder.js';
import { memoryStore } from '../src/store/index.js';
import { vectorToBytes } from '../src/vector-index/vector-index.js';
import { backends, buildMemory, member, store } from './helper.js';

describe.each(backends)('re-embedding and an edit at the same time ($name)', ({ postgres }) => {
  it('stores a re-embedded vector only where the memory still holds the content that was embedded, and keeps updated_at', async () => {
    const memory = await buildMemory({ postgres });
    const headers = await member();
    const [kept, edited] = await store(memory.app, headers, [{ content: 'kept as it was' }, { content: 'about to change' }]);
    const patched = await memory.app.inject({ method: 'PATCH', url: `/v1/memories/${edited!.id}`, headers, payload: { content: 'changed meanwhile' } });
    expect(patched.statusCode).toBe(200);
    const before = await memory.db.selectFrom('memories').select(['id', 'updated_at']).where('id', '=', kept!.id).executeTakeFirstOrThrow();

    const memories = memoryStore(memory.db, postgres ? 'postgres' : 'sqlite');
    expect(await memories.embeddings.staleCount('next-model', 'org-a')).toBe(2);
    // As the background work would: vectors of the content it read before the edit.
    const stored = await memories.embeddings.replaceVectors('org-a', 'next-model', [
      { id: kept!.id, content: 'kept as it was', embedding: vectorToBytes(embedText('kept as it was', 8)) },
      { id: edited!.id, content: 'about to change', embedding: vectorToBytes(embedText('about to change', 8)) },
    ]);
    expect(stored).toEqual([kept!.id]);
    const rows = await memory.db.selectFrom('memories').select(['id', 'embedding_model', 'updated_at']).orderBy('id').execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.embedding_model]))).toEqual({ [kept!.id]: 'next-model', [edited!.id]: 'lift-local-hash-v1-256' });
    expect(rows.find((row) => row.id === kept!.id)!.updated_at).toBe(before.updated_at);
    expect(await memories.embeddings.staleCount('next-model', 'org-a')).toBe(1);
    expect(await memories.embeddings.staleCount('next-model', 'org-b')).toBe(0);
  });
});
