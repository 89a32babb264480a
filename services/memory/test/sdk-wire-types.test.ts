import type { Static } from '@sinclair/typebox';
import type { Memory, MemoryAsOf, MemoryInput, MemorySearchAnswer, MemorySearchRequest, MemorySupersedeInput, RelatedMemory } from '@lift/sdk';
import { describe, expect, it } from 'vitest';
import type { ListQuery, MemoryBody, MemoryInput as MemoryInputSchema, RelatedBody, RelatedQuery, SearchInput, SearchResult, SupersedeInput } from '../src/schemas.js';
import { backends, buildMemory, member } from './helper.js';

// The SDK's memory wire types are what modules compile against; memory's schemas are the source.
// These assignments fail `tsc` (run by npm test) when the two drift apart in either direction.
type Assignable<From, To> = From extends To ? true : false;
/** The SDK's shapes are read-only throughout; the schemas' static types are not. */
type DeepReadonly<T> = T extends (infer Item)[] ? readonly DeepReadonly<Item>[] : T extends object ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> } : T;
const answersFitTheSdk: [Assignable<Static<typeof MemoryBody>, Memory>, Assignable<Static<typeof SearchResult>, MemorySearchAnswer>, Assignable<Static<typeof RelatedBody>['items'][number], RelatedMemory>] = [true, true, true];
const sdkRequestsFitTheSchemas: [
  Assignable<MemoryInput, DeepReadonly<Static<typeof MemoryInputSchema>>>,
  Assignable<MemorySearchRequest, DeepReadonly<Static<typeof SearchInput>>>,
  Assignable<MemorySupersedeInput, DeepReadonly<Static<typeof SupersedeInput>>>,
  Assignable<MemoryAsOf, Pick<Static<typeof ListQuery>, 'asOf' | 'includeSuperseded'>>,
  Assignable<MemoryAsOf, Pick<Static<typeof RelatedQuery>, 'asOf' | 'includeSuperseded'>>,
] = [true, true, true, true, true];
// Every field of the schemas' bodies is one the SDK knows (a new field must reach the SDK too).
type KnowsEvery<Schema, Sdk> = Exclude<keyof Schema, keyof Sdk> extends never ? true : false;
const sdkKnowsEveryField: [KnowsEvery<Static<typeof MemoryBody>, Memory>, KnowsEvery<Static<typeof MemoryInputSchema>, MemoryInput>, KnowsEvery<Static<typeof SupersedeInput>, MemorySupersedeInput>, KnowsEvery<Static<typeof SearchInput>, MemorySearchRequest>] = [true, true, true, true];

describe.each(backends)('the SDK memory wire types on $name', ({ postgres }) => {
  it('describe a real answer of the service, field for field', async () => {
    expect([...answersFitTheSdk, ...sdkRequestsFitTheSchemas, ...sdkKnowsEveryField]).toEqual(Array.from({ length: 12 }, () => true));
    const { app } = await buildMemory({ postgres });
    const stored = (await app.inject({ method: 'POST', url: '/v1/memories', headers: await member(), payload: { content: 'wire check', tags: ['a'], metadata: { k: 1 } } })).json<Memory>();
    const fields: readonly (keyof Memory)[] = ['id', 'content', 'type', 'tags', 'metadata', 'relations', 'source', 'embeddingModel', 'createdAt', 'updatedAt', 'validFrom'];
    expect(Object.keys(stored).sort()).toEqual([...fields].sort());
  });
});
