import { describe, expect, it } from 'vitest';
import { maxSpaces } from '../src/schemas.js';
import { backends, buildMemory, member } from './helper.js';
import { createSpace, tone } from './spaces-fixture.js';

describe.each(backends)('bad input to conceptual spaces on $name', ({ postgres }) => {
  it('refuses a space it cannot measure in, and a second of one name', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    const define = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/spaces', headers, payload });
    const cases: [Record<string, unknown>, number, Record<string, unknown>][] = [
      [{ name: 'flat', dimensions: [{ name: 'x', min: 1, max: 1 }] }, 400, { code: 'MEMORY_SPACE_INVALID', field: 'body.dimensions[0].max' }],
      [{ name: 'twice', dimensions: [{ name: 'x', min: 0, max: 1 }, { name: 'x', min: 0, max: 2 }] }, 400, { code: 'MEMORY_SPACE_INVALID', field: 'body.dimensions[1].name' }],
      [{ name: 'Upper', dimensions: [{ name: 'x', min: 0, max: 1 }] }, 400, { code: 'REQUEST_VALIDATION_FAILED' }],
      [{ name: 'none', dimensions: [] }, 400, { code: 'REQUEST_VALIDATION_FAILED' }],
      [{ name: 'weightless', dimensions: [{ name: 'x', min: 0, max: 1, weight: 0 }] }, 400, { code: 'REQUEST_VALIDATION_FAILED' }],
    ];
    for (const [payload, status, problem] of cases) {
      const response = await define(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json(), JSON.stringify(payload)).toMatchObject(problem);
    }
    await createSpace(app, headers);
    const again = await define({ name: 'tone', dimensions: [{ name: 'x', min: 0, max: 1 }] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'MEMORY_SPACE_EXISTS', field: 'body.name' });
    expect((await app.inject({ method: 'GET', url: '/v1/spaces', headers })).json().items.map((space: { name: string }) => space.name)).toEqual(['tone']);
  });

  it(`allows ${maxSpaces} spaces an organisation`, async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    for (let index = 1; index < maxSpaces; index += 1) await createSpace(app, headers, { name: `space-${index}`, dimensions: [{ name: 'x', min: 0, max: 1 }] });
    await createSpace(app, headers);
    const over = await app.inject({ method: 'POST', url: '/v1/spaces', headers, payload: { name: 'one-more', dimensions: [{ name: 'x', min: 0, max: 1 }] } });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'MEMORY_SPACE_LIMIT_REACHED', field: 'body.name' });
  });

  it('refuses a memory placed in an unknown space, or with a dimension unknown, missing or out of range, naming the field', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const cases: [unknown, Record<string, unknown>][] = [
      [{ space: 'mood', values: { formality: 1, urgency: 0 } }, { code: 'MEMORY_SPACE_UNKNOWN', field: 'body.dimensions.space' }],
      [{ space: 'tone', values: { formality: 1, urgency: 0, volume: 3 } }, { code: 'MEMORY_DIMENSION_UNKNOWN', field: 'body.dimensions.values.volume' }],
      [{ space: 'tone', values: { formality: 1 } }, { code: 'MEMORY_DIMENSION_MISSING', field: 'body.dimensions.values.urgency' }],
      [{ space: 'tone', values: { formality: 11, urgency: 0 } }, { code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.dimensions.values.formality' }],
      [{ space: 'tone', values: { formality: 1, urgency: -0.01 } }, { code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.dimensions.values.urgency' }],
    ];
    for (const [dimensions, problem] of cases) {
      const created = await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'x', dimensions } });
      expect(created.statusCode, JSON.stringify(dimensions)).toBe(400);
      expect(created.json(), JSON.stringify(dimensions)).toMatchObject(problem);
    }
    // Range ends are inside.
    expect((await app.inject({ method: 'POST', url: '/v1/memories', headers, payload: { content: 'edge', dimensions: tone(10, 0) } })).statusCode).toBe(201);

    const batch = await app.inject({ method: 'POST', url: '/v1/memories/batch', headers, payload: { items: [{ content: 'fine', dimensions: tone(1, 1) }, { content: 'bad', dimensions: tone(-1, 1) }] } });
    expect(batch.statusCode).toBe(400);
    expect(batch.json()).toMatchObject({ code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.items[1].dimensions.values.formality' });
    // All or none: the good item was not stored either.
    expect((await app.inject({ method: 'GET', url: '/v1/memories', headers })).json().items.map((memory: { content: string }) => memory.content)).toEqual(['edge']);

    const [edge] = (await app.inject({ method: 'GET', url: '/v1/memories', headers })).json().items;
    const patched = await app.inject({ method: 'PATCH', url: `/v1/memories/${edge.id}`, headers, payload: { dimensions: { space: 'tone', values: { urgency: 0.5 } } } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json()).toMatchObject({ code: 'MEMORY_DIMENSION_MISSING', field: 'body.dimensions.values.formality' });
    expect((await app.inject({ method: 'GET', url: `/v1/memories/${edge.id}`, headers })).json().dimensions).toEqual(tone(10, 0));
  });

  it('refuses a conceptual search without its space and point, or off the space, naming the field', async () => {
    const { app } = await buildMemory({ postgres });
    const headers = await member();
    await createSpace(app, headers);
    const point = { formality: 5, urgency: 0.5 };
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ mode: 'conceptual' }, { code: 'MEMORY_POINT_REQUIRED', field: 'body.space' }],
      [{ mode: 'conceptual', space: 'tone' }, { code: 'MEMORY_POINT_REQUIRED', field: 'body.point' }],
      [{ query: 'x', point }, { code: 'MEMORY_POINT_REQUIRED', field: 'body.space' }],
      [{ query: 'x', weights: { dimensions: { urgency: 1 } } }, { code: 'MEMORY_POINT_REQUIRED', field: 'body.space' }],
      [{ mode: 'conceptual', space: 'mood', point }, { code: 'MEMORY_SPACE_UNKNOWN', field: 'body.space' }],
      [{ query: 'x', space: 'mood', point }, { code: 'MEMORY_SPACE_UNKNOWN', field: 'body.space' }],
      [{ query: 'x', mode: 'fulltext', space: 'mood', point }, { code: 'MEMORY_SPACE_UNKNOWN', field: 'body.space' }],
      [{ query: 'x', mode: 'neural', space: 'tone', point: { ...point, urgency: 2 } }, { code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.point.urgency' }],
      [{ mode: 'conceptual', space: 'tone', point: { formality: 5 } }, { code: 'MEMORY_DIMENSION_MISSING', field: 'body.point.urgency' }],
      [{ mode: 'conceptual', space: 'tone', point: { ...point, urgency: 2 } }, { code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.point.urgency' }],
      [{ mode: 'conceptual', space: 'tone', point: { ...point, volume: 1 } }, { code: 'MEMORY_DIMENSION_UNKNOWN', field: 'body.point.volume' }],
      [{ mode: 'conceptual', space: 'tone', point, weights: { dimensions: { volume: 1 } } }, { code: 'MEMORY_DIMENSION_UNKNOWN', field: 'body.weights.dimensions.volume' }],
      [{ mode: 'conceptual', space: 'tone', point, weights: { dimensions: { formality: 0, urgency: 0 } } }, { code: 'MEMORY_DIMENSION_WEIGHTS_INVALID', field: 'body.weights.dimensions' }],
      [{ mode: 'hybrid' }, { code: 'MEMORY_QUERY_EMPTY', field: 'body.query' }],
    ];
    for (const [payload, problem] of cases) {
      const response = await app.inject({ method: 'POST', url: '/v1/search', headers, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json(), JSON.stringify(payload)).toMatchObject(problem);
    }
    const batch = await app.inject({ method: 'POST', url: '/v1/search/batch', headers, payload: { queries: [{ mode: 'conceptual', space: 'tone', point }, { mode: 'conceptual', space: 'tone', point: { ...point, formality: 99 } }] } });
    expect(batch.statusCode).toBe(400);
    expect(batch.json()).toMatchObject({ code: 'MEMORY_DIMENSION_OUT_OF_RANGE', field: 'body.queries[1].point.formality' });
  });
});
