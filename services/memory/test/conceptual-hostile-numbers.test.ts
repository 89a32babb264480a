import { describe, expect, it } from 'vitest';
import { backends, buildMemory, member } from './helper.js';

// Review of issue #14: dimensions named like Object.prototype's members found the prototype's
// (a missing value passed, scores were NaN, hybrid answered 500); ranges of ±1.7e308 overflowed
// to an infinite width (NaN distances); ±1e999 parsed as Infinity and was stored as null.
describe.each(backends)('conceptual spaces with hostile names and numbers on $name', ({ postgres }) => {
  const post = async (app: Awaited<ReturnType<typeof buildMemory>>['app'], url: string, body: string) =>
    app.inject({ method: 'POST', url, headers: { ...(await member('org-a')), 'content-type': 'application/json' }, payload: body });

  it('treats dimensions named constructor or valueOf as any other: a missing value is 400, search ranks them', async () => {
    const { app } = await buildMemory({ postgres });
    expect((await post(app, '/v1/spaces', '{"name":"proto","dimensions":[{"name":"constructor","min":0,"max":1},{"name":"valueOf","min":0,"max":1}]}')).statusCode).toBe(201);
    const missing = await post(app, '/v1/memories', '{"content":"p missing","dimensions":{"space":"proto","values":{}}}');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'MEMORY_DIMENSION_MISSING', field: 'body.dimensions.values.constructor' });
    expect((await post(app, '/v1/memories', '{"content":"near","dimensions":{"space":"proto","values":{"constructor":0.5,"valueOf":0.5}}}')).statusCode).toBe(201);
    expect((await post(app, '/v1/memories', '{"content":"far","dimensions":{"space":"proto","values":{"constructor":1,"valueOf":1}}}')).statusCode).toBe(201);
    const conceptual = await post(app, '/v1/search', '{"mode":"conceptual","space":"proto","point":{"constructor":0.5,"valueOf":0.5}}');
    expect(conceptual.json<{ items: { memory: { content: string }; score: number }[] }>().items.map((hit) => [hit.memory.content, hit.score])).toEqual([['near', 1], ['far', 0.5]]);
    const hybrid = await post(app, '/v1/search', '{"query":"near","space":"proto","point":{"constructor":0.5,"valueOf":0.5},"weights":{"dimensions":{"valueOf":2}}}');
    expect(hybrid.statusCode).toBe(200);
    expect((await post(app, '/v1/search', '{"query":"near","space":"proto","point":{}}')).json()).toMatchObject({ code: 'MEMORY_DIMENSION_MISSING' });
  });

  it('refuses ranges that are not finite or whose width overflows, with 400 naming the field', async () => {
    const { app } = await buildMemory({ postgres });
    for (const body of ['{"name":"huge","dimensions":[{"name":"x","min":-1.7e308,"max":1.7e308}]}', '{"name":"inf","dimensions":[{"name":"x","min":-1e999,"max":1e999}]}']) {
      const refused = await post(app, '/v1/spaces', body);
      expect(refused.statusCode, body).toBe(400);
      expect(refused.json()).toMatchObject({ field: 'body.dimensions[0].max' });
    }
    expect((await app.inject({ method: 'GET', url: '/v1/spaces', headers: await member('org-a') })).json()).toMatchObject({ items: [] });
  });
});
