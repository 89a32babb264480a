import { Type, type Static } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;

/** Content is at most this many characters (UTF-16 code units, as JavaScript counts them). */
export const maxContentLength = 32_768;
/** Memories per POST /v1/memories/batch. */
export const maxBatchItems = 500;
/** Queries per POST /v1/search/batch. */
export const maxBatchQueries = 20;

const Label = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' });
export const MemoryId = Type.String({ format: 'uuid', description: 'a memory id of the same organisation' });
const Timestamp = Type.String({ format: 'date-time' });
const MetadataValue = Type.Union([Type.String({ maxLength: 1_000 }), Type.Number(), Type.Boolean()]);

export const Relation = Type.Object(
  {
    predicate: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$', description: 'e.g. supports, contradicts, part_of, follows' }),
    target: MemoryId,
  },
  closed,
);

/** A user or session id as the caller knows it: a label, not an identity this service checks. */
const ScopeId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@|-]*$' });
export const SpaceName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_-]*$', description: 'lower case letters, digits, _ and -' });
const DimensionName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_]*$' });
/** At most this many dimensions per space, and spaces per organisation. */
export const maxDimensions = 16;
export const maxSpaces = 50;
const Coordinates = (description: string) => Type.Record(DimensionName, Type.Number(), { maxProperties: maxDimensions, description });
const Placement = Type.Object(
  { space: SpaceName, values: Coordinates('a number within its range for every dimension of the space') },
  { ...closed, description: 'where the memory sits in one of the organisation\'s conceptual spaces' },
);

const Content = Type.String({ minLength: 1, maxLength: maxContentLength, description: `the text remembered, 1–${maxContentLength} characters` });
const Tags = Type.Array(Label, { maxItems: 32, uniqueItems: true });
const Metadata = Type.Object({}, { additionalProperties: true, maxProperties: 64, description: 'any JSON object (at most 64 top-level fields, 16 KiB as JSON)' });
const Relations = Type.Array(Relation, { maxItems: 64 });

export const MemoryInput = Type.Object(
  {
    content: Content,
    type: Type.Optional(Type.String({ ...Label, default: 'general', description: 'general, insight, or a module\'s own' })),
    tags: Type.Optional(Tags),
    metadata: Type.Optional(Metadata),
    relations: Type.Optional(Relations),
    userId: Type.Optional(ScopeId),
    sessionId: Type.Optional(ScopeId),
    dimensions: Type.Optional(Placement),
    supersedes: Type.Optional(Type.String({ format: 'uuid', description: 'a current memory of the organisation this one replaces: it stays, valid until now, and is left out of reads unless asked for' })),
    onDuplicate: Type.Optional(
      Type.Union([Type.Literal('keep'), Type.Literal('merge')], {
        description: 'keep (default) stores it beside any near-duplicate; merge makes it supersede the current memory of the same type, userId and sessionId whose vector has a cosine similarity of at least 0.95 with its own, if there is one',
      }),
    ),
  },
  closed,
);

/** A new version of a memory: the new content; every other field given replaces the old one's, the rest are kept. */
export const SupersedeInput = Type.Object(
  {
    content: Content,
    type: Type.Optional(Label),
    tags: Type.Optional(Tags),
    metadata: Type.Optional(Metadata),
    relations: Type.Optional(Type.Array(Relation, { maxItems: 64, description: 'the new version\'s outgoing relations; the old version\'s unless given' })),
    userId: Type.Optional(ScopeId),
    sessionId: Type.Optional(ScopeId),
    dimensions: Type.Optional(Placement),
  },
  closed,
);

export const MemoryPatch = Type.Object(
  {
    content: Type.Optional(Content),
    type: Type.Optional(Label),
    tags: Type.Optional(Tags),
    metadata: Type.Optional(Metadata),
    relations: Type.Optional(Type.Array(Relation, { maxItems: 64, description: 'replaces the memory\'s outgoing relations' })),
    userId: Type.Optional(Type.Union([ScopeId, Type.Null()], { description: 'null clears it' })),
    sessionId: Type.Optional(Type.Union([ScopeId, Type.Null()], { description: 'null clears it' })),
    dimensions: Type.Optional(Type.Union([Placement, Type.Null()], { description: 'replaces its place; null takes it out of its space' })),
  },
  { ...closed, minProperties: 1 },
);

export const MemoryBatchInput = Type.Object({ items: Type.Array(MemoryInput, { minItems: 1, maxItems: maxBatchItems }) }, closed);

export const MemoryBody = Type.Object({
  id: Type.String(),
  content: Type.String(),
  type: Type.String(),
  tags: Type.Array(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  relations: Type.Array(Type.Object({ predicate: Type.String(), target: Type.String() })),
  source: Type.String({ description: 'module:<id> for a module\'s token, else the user (or API key) that stored it' }),
  embeddingModel: Type.String(),
  userId: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  dimensions: Type.Optional(Type.Object({ space: Type.String(), values: Type.Record(Type.String(), Type.Number()) })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  validFrom: Type.String({ format: 'date-time', description: 'when the fact began to hold: its createdAt' }),
  validTo: Type.Optional(Type.String({ format: 'date-time', description: 'when it was superseded; absent while current' })),
  supersedes: Type.Optional(Type.String({ description: 'the memory this one replaced' })),
  supersededBy: Type.Optional(Type.String({ description: 'the memory that replaced this one' })),
});
export type MemoryView = Static<typeof MemoryBody>;

export const MemoryList = Type.Object({ items: Type.Array(MemoryBody), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const MemoryBatchBody = Type.Object({ items: Type.Array(MemoryBody) });

export const MemoryParams = Type.Object({ id: MemoryId }, closed);

/** Reads answer current facts unless they ask for a past instant or for superseded ones too. */
const AsOf = Type.String({ minLength: 1, maxLength: 64, description: 'an ISO-8601 timestamp, not in the future: answer as the memory stood then (memories valid at that instant)' });
const IncludeSuperseded = Type.Boolean({ default: false, description: 'superseded memories too (with asOf: every memory created by then)' });

const ListOf = (description: string) => Type.Optional(Type.Array(Label, { minItems: 1, maxItems: 50, description }));

export const SearchFilters = Type.Object(
  {
    types: ListOf('any of these types'),
    tags: ListOf('any of these tags'),
    sources: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50, description: 'any of these sources' })),
    metadata: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }), MetadataValue, { maxProperties: 16, description: 'top-level metadata fields equal to these values', additionalProperties: false })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    userId: Type.Optional(ScopeId),
    sessionId: Type.Optional(ScopeId),
  },
  closed,
);

export const ListQuery = Type.Object(
  {
    type: Type.Optional(Label),
    tag: Type.Optional(Label),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    userId: Type.Optional(ScopeId),
    sessionId: Type.Optional(ScopeId),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    asOf: Type.Optional(AsOf),
    includeSuperseded: Type.Optional(IncludeSuperseded),
  },
  closed,
);

export const SearchMode = Type.Union([Type.Literal('hybrid'), Type.Literal('neural'), Type.Literal('fulltext'), Type.Literal('knowledge'), Type.Literal('conceptual')]);
export type SearchModeName = Static<typeof SearchMode>;

const Weight = Type.Number({ minimum: 0, maximum: 10 });
export const SearchInput = Type.Object(
  {
    query: Type.Optional(Type.String({ minLength: 1, maxLength: 2_000, description: 'required in every mode but conceptual, which ignores it' })),
    mode: Type.Optional(SearchMode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    minScore: Type.Optional(Type.Number({ minimum: 0, description: 'hits scoring lower are left out (the scale is the mode\'s: see the docs)' })),
    filters: Type.Optional(SearchFilters),
    asOf: Type.Optional(AsOf),
    includeSuperseded: Type.Optional(IncludeSuperseded),
    space: Type.Optional(SpaceName),
    point: Type.Optional(Coordinates('where to search from in `space`: a number for every dimension')),
    weights: Type.Optional(
      Type.Object(
        {
          fulltext: Type.Optional(Weight),
          neural: Type.Optional(Weight),
          knowledge: Type.Optional(Weight),
          conceptual: Type.Optional(Weight),
          dimensions: Type.Optional(Type.Record(DimensionName, Weight, { maxProperties: maxDimensions, description: 'per dimension of `space`, replacing the space\'s own weights' })),
        },
        closed,
      ),
    ),
  },
  closed,
);
export type SearchRequest = Static<typeof SearchInput>;

export const SearchBatchInput = Type.Object({ queries: Type.Array(SearchInput, { minItems: 1, maxItems: maxBatchQueries }) }, closed);

const Signals = Type.Object({ fulltext: Type.Optional(Type.Number()), neural: Type.Optional(Type.Number()), knowledge: Type.Optional(Type.Number()), conceptual: Type.Optional(Type.Number()) });
export const SearchHit = Type.Object({ memory: MemoryBody, score: Type.Number(), signals: Signals });
export const SearchResult = Type.Object({ items: Type.Array(SearchHit), mode: SearchMode, tookMs: Type.Number() });
export type SearchAnswer = Static<typeof SearchResult>;
export const SearchBatchResult = Type.Object({ results: Type.Array(SearchResult) });

export const RelatedQuery = Type.Object(
  {
    depth: Type.Integer({ minimum: 1, maximum: 3, default: 2 }),
    predicate: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    asOf: Type.Optional(AsOf),
    includeSuperseded: Type.Optional(IncludeSuperseded),
  },
  closed,
);
export const RelatedBody = Type.Object({
  items: Type.Array(
    Type.Object({
      memory: MemoryBody,
      depth: Type.Integer({ description: 'relations between it and the starting memory' }),
      via: Type.Object({ from: Type.String(), predicate: Type.String(), direction: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]) }),
    }),
  ),
  nextCursor: Type.Null(),
});

export const Dimension = Type.Object(
  {
    name: DimensionName,
    min: Type.Number(),
    max: Type.Number({ description: 'greater than min' }),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10, default: 1 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);
export const SpaceInput = Type.Object(
  {
    name: SpaceName,
    description: Type.Optional(Type.String({ maxLength: 1_000 })),
    dimensions: Type.Array(Dimension, { minItems: 1, maxItems: maxDimensions }),
  },
  closed,
);
export type SpaceDefinition = Static<typeof SpaceInput>;
export const SpaceBody = Type.Object({
  name: Type.String(),
  description: Type.String(),
  dimensions: Type.Array(Type.Object({ name: Type.String(), min: Type.Number(), max: Type.Number(), weight: Type.Number(), description: Type.String() })),
  createdAt: Timestamp,
});
export type SpaceView = Static<typeof SpaceBody>;
export const SpaceList = Type.Object({ items: Type.Array(SpaceBody), nextCursor: Type.Null() });
export const SpaceParams = Type.Object({ name: SpaceName }, closed);
