import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { backends, buildMemory, member, search, store } from './helper.js';

describe.each(backends)('the vector index saved at shutdown on $name', ({ postgres }) => {
  it('is loaded at start only for organisations whose vectors the database still holds exactly, and is then deleted', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lift-memory-snapshot-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const directory = join(root, 'index');
    const env = { INDEX_SNAPSHOT_DIR: directory };
    const first = await buildMemory({ postgres, env });
    const orgA = await member('org-a');
    const stored = await store(first.app, orgA, Array.from({ length: 30 }, (_, index) => ({ content: `note ${index} on subject ${index % 5}` })));
    await store(first.app, await member('org-b'), [{ content: 'a note of another organisation' }]);
    await first.app.close();
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(readdirSync(directory).map((name) => statSync(join(directory, name)).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);

    // A writer without the snapshot changes org-a behind it: org-a's saved space is stale now.
    const other = await buildMemory({ postgres, storage: first.storage });
    const deleted = (stored[3] as { id: string }).id;
    expect((await other.app.inject({ method: 'DELETE', url: `/v1/memories/${deleted}`, headers: orgA })).statusCode).toBe(204);
    await other.app.close();

    const third = await buildMemory({ postgres, storage: first.storage, env });
    expect(third.logs.find((line) => line.msg === 'saved index spaces that match the database are loaded')).toMatchObject({ loaded: 1, saved: 2 });
    expect(third.app.indexedVectors('org-a')).toBe(29);
    expect(third.app.indexedVectors('org-b')).toBe(1);
    const found = await search(third.app, orgA, { query: 'note 3 on subject 3', mode: 'neural', limit: 30 });
    expect(found.items.map((item) => item.memory.id)).not.toContain(deleted);
    // HNSW is approximate, and usearch builds the rebuilt space across threads: now and then one
    // of 29 vectors is not reached (1 run in 4 here). What this test is about — the stale space
    // rebuilt from the database, the deleted memory gone — holds either way.
    expect(found.items.length).toBeGreaterThanOrEqual(27);
    // The loaded space takes new vectors under fresh labels beside the saved ones.
    const orgB = await member('org-b');
    await store(third.app, orgB, [{ content: 'a later note of another organisation' }]);
    const inOrgB = await search(third.app, orgB, { query: 'a note of another organisation', mode: 'neural', limit: 3 });
    expect(inOrgB.items.map((item) => item.memory.content).sort()).toEqual(['a later note of another organisation', 'a note of another organisation']);
    expect(readdirSync(directory)).toEqual([]);
  });
});
