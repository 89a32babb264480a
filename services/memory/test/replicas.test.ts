import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { indexChangeStream } from '../src/replicas/index-change-feed.js';
import { backends, buildMemory, member, search, store } from './helper.js';

// Issue #14: several memory replicas on one PostgreSQL and one Redis; each replica's vector index
// follows what any other wrote (within a second), through the kit's broadcast stream follower.
const onPostgresAndRedis = backends.filter((backend) => backend.postgres);

describe.each(onPostgresAndRedis)('two memory replicas on $name', ({ postgres }) => {
  it('each finds by neural search what the other stored, changed, deleted and erased, within a second', async () => {
    const first = await buildMemory({ postgres });
    const second = await buildMemory({ postgres, storage: first.storage });
    const admin = await member('org-a', { extra: ['org:admin'] });
    const neuralIds = async (app: typeof first.app, query: string) => (await search(app, admin, { query, mode: 'neural', limit: 5 })).items.map((hit) => hit.memory.id);

    const [kiwi] = await store(first.app, admin, [{ content: 'kiwis are flightless birds from New Zealand' }]);
    await expect.poll(() => neuralIds(second.app, 'flightless birds New Zealand'), { timeout: 1_000, interval: 20 }).toContain(kiwi?.id);
    expect(second.app.indexedVectors('org-a')).toBe(1);

    // Changed on the second: the first's index holds the new vector (the old words no longer rank it first).
    await second.app.inject({ method: 'PATCH', url: `/v1/memories/${kiwi?.id}`, headers: admin, payload: { content: 'penguins swim in the cold southern ocean' } });
    const [other] = await store(second.app, admin, [{ content: 'flightless birds of New Zealand, once more' }]);
    await expect.poll(async () => (await neuralIds(first.app, 'penguins swim southern ocean'))[0], { timeout: 1_000, interval: 20 }).toBe(kiwi?.id);
    await expect.poll(() => first.app.indexedVectors('org-a'), { timeout: 1_000, interval: 20 }).toBe(2);

    await first.app.inject({ method: 'DELETE', url: `/v1/memories/${other?.id}`, headers: admin });
    await expect.poll(() => second.app.indexedVectors('org-a'), { timeout: 1_000, interval: 20 }).toBe(1);

    expect((await second.app.inject({ method: 'DELETE', url: '/v1/context', headers: admin })).statusCode).toBe(200);
    await expect.poll(() => first.app.indexedVectors('org-a'), { timeout: 1_000, interval: 20 }).toBe(0);
    expect(await neuralIds(first.app, 'penguins')).toEqual([]);
  });

  // Review of issue #14: an erase heard after this replica stored new memories dropped them from
  // its index too (neural search missed them until a restart).
  it('keeps what the table holds when another replica\'s erase is heard late', async () => {
    const first = await buildMemory({ postgres });
    const second = await buildMemory({ postgres, storage: first.storage });
    const admin = await member('org-late', { extra: ['org:admin'] });
    const [kept] = await store(first.app, admin, [{ content: 'written after the erase it hears of late' }]);
    // As a replica that erased just before this write would have announced it, arriving now.
    const redis = new Redis(process.env.TEST_REDIS_URL as string);
    await redis.xadd(`${first.storage.schema}:${indexChangeStream}`, '*', 'replica', 'another-replica', 'organisation', 'org-late', 'change', JSON.stringify({ dropped: true }));
    redis.disconnect();
    // The second replica's change comes after that notice in the stream: once the first has it,
    // it has applied the notice too.
    await store(second.app, await member('org-sync'), [{ content: 'after the notice' }]);
    await expect.poll(() => first.app.indexedVectors('org-sync'), { timeout: 1_000, interval: 20 }).toBe(1);
    expect(first.app.indexedVectors('org-late')).toBe(1);
    expect((await search(first.app, admin, { query: 'written after the erase', mode: 'neural' })).items.map((hit) => hit.memory.id)).toEqual([kept?.id]);
  });
});
