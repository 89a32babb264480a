import { ConflictError, InvalidInputError, NotFoundError, nowIso } from '@lift/kit';
import { memoryErrorCodes } from './errors.js';
import type { MemoryDomain } from './memory-domain.js';
import { maxSpaces, type SpaceDefinition, type SpaceView } from './schemas.js';
import type { MemoryQueries, SpaceRow } from './store/index.js';

/** A dimension as stored: weight and description filled in. */
export interface SpaceDimension {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly weight: number;
  readonly description: string;
}

export const dimensionsOf = (row: SpaceRow): SpaceDimension[] => JSON.parse(row.dimensions) as SpaceDimension[];

export function spaceView(row: SpaceRow): SpaceView {
  return { name: row.name, description: row.description, dimensions: dimensionsOf(row), createdAt: row.created_at };
}

const spaceNotFound = () => new NotFoundError(memoryErrorCodes.spaceNotFound, 'No conceptual space of that name in your organisation; list them with GET /v1/spaces.');

export const unknownSpace = (name: string, field: string) =>
  new InvalidInputError(memoryErrorCodes.spaceUnknown, `Your organisation has no conceptual space named ${name}; create it with POST /v1/spaces first.`, { field });

/**
 * `record[name]` only if `record` has it itself: a dimension named `constructor` or `valueOf` must
 * not find Object.prototype's (the review saw a missing value pass as present, and NaN scores).
 */
export function ownValue(record: Readonly<Record<string, number>>, name: string): number | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Every key of `named` (values, a point, weights) must be a dimension of the space. */
export function checkDimensionNames(dimensions: readonly SpaceDimension[], named: Readonly<Record<string, number>>, field: string): void {
  const known = dimensions.map((dimension) => dimension.name);
  for (const name of Object.keys(named)) {
    if (!known.includes(name)) throw new InvalidInputError(memoryErrorCodes.dimensionUnknown, `The space has no dimension ${name}; its dimensions are ${known.join(', ')}.`, { field: `${field}.${name}` });
  }
}

/**
 * Coordinates in a space must name every dimension, nothing else, each within its range (both
 * ends included). `field` is where the `{ <dimension>: number }` object sits in the request.
 */
export function checkCoordinates(dimensions: readonly SpaceDimension[], values: Readonly<Record<string, number>>, field: string): void {
  checkDimensionNames(dimensions, values, field);
  for (const { name, min, max } of dimensions) {
    const value = ownValue(values, name);
    if (value === undefined) throw new InvalidInputError(memoryErrorCodes.dimensionMissing, `Give a value for the dimension ${name} (${min} to ${max}); every dimension of the space needs one.`, { field: `${field}.${name}` });
    if (value < min || value > max) throw new InvalidInputError(memoryErrorCodes.dimensionOutOfRange, `${value} is outside the dimension ${name}'s range, ${min} to ${max}.`, { field: `${field}.${name}` });
  }
}

/**
 * Checks each placement against the organisation's spaces as they are inside the write's
 * transaction (so a space deleted meanwhile cannot be placed in); `fieldOf(i)` is where item i's
 * `dimensions` sits.
 */
export async function checkPlacements(queries: MemoryQueries, organisationId: string, placements: readonly ({ space: string; values: Record<string, number> } | null | undefined)[], fieldOf: (item: number) => string): Promise<void> {
  const names = [...new Set(placements.flatMap((placement) => (placement ? [placement.space] : [])))];
  if (names.length === 0) return;
  const spaces = new Map((await queries.spaces.byNames(organisationId, names)).map((row) => [row.name, dimensionsOf(row)]));
  placements.forEach((placement, index) => {
    if (!placement) return;
    const dimensions = spaces.get(placement.space);
    if (!dimensions) throw unknownSpace(placement.space, `${fieldOf(index)}.space`);
    checkCoordinates(dimensions, placement.values, `${fieldOf(index)}.values`);
  });
}

/** Defines a space; its dimensions never change afterwards (delete it and define it again). */
export async function createSpace(domain: MemoryDomain, organisationId: string, input: SpaceDefinition): Promise<SpaceView> {
  const names = new Set<string>();
  input.dimensions.forEach((dimension, index) => {
    const field = `body.dimensions[${index}]`;
    if (names.has(dimension.name)) throw new InvalidInputError(memoryErrorCodes.spaceInvalid, `Two dimensions are named ${dimension.name}; give each its own name.`, { field: `${field}.name` });
    names.add(dimension.name);
    if (!(dimension.max > dimension.min)) throw new InvalidInputError(memoryErrorCodes.spaceInvalid, `The dimension ${dimension.name} needs max greater than min (it has ${dimension.min} to ${dimension.max}).`, { field: `${field}.max` });
    // Review of issue #14: 1e999 parses as Infinity (then stored as null), and a range as wide as
    // ±1.7e308 overflows to Infinity, making every distance NaN (a 500 in hybrid search).
    if (!Number.isFinite(dimension.min) || !Number.isFinite(dimension.max) || !Number.isFinite(dimension.max - dimension.min)) {
      throw new InvalidInputError(memoryErrorCodes.spaceInvalid, `The dimension ${dimension.name} needs a finite range (max − min must be a finite number).`, { field: `${field}.max` });
    }
  });
  const row: SpaceRow = {
    organisation_id: organisationId,
    name: input.name,
    description: input.description ?? '',
    dimensions: JSON.stringify(input.dimensions.map(({ name, min, max, weight, description }) => ({ name, min, max, weight: weight ?? 1, description: description ?? '' }))),
    created_at: nowIso(domain.clock),
  };
  await domain.writes.run(organisationId, () =>
    domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      if (await queries.spaces.byName(organisationId, input.name)) throw new ConflictError(memoryErrorCodes.spaceExists, `Your organisation has a space named ${input.name} already; pick another name, or delete that one first.`, { extensions: { field: 'body.name' } });
      if ((await queries.spaces.count(organisationId)) >= maxSpaces) throw new InvalidInputError(memoryErrorCodes.spaceLimitReached, `An organisation has at most ${maxSpaces} conceptual spaces; delete one you no longer use.`, { field: 'body.name' });
      await queries.spaces.insert(row);
    }),
  );
  return spaceView(row);
}

export async function listSpaces(domain: MemoryDomain, organisationId: string) {
  return { items: (await domain.store.spaces.list(organisationId)).map(spaceView), nextCursor: null };
}

export async function getSpace(domain: MemoryDomain, organisationId: string, name: string): Promise<SpaceView> {
  const row = await domain.store.spaces.byName(organisationId, name);
  if (!row) throw spaceNotFound();
  return spaceView(row);
}

/** The space goes; memories placed in it stay, taken out of it. */
export async function deleteSpace(domain: MemoryDomain, organisationId: string, name: string): Promise<void> {
  await domain.writes.run(organisationId, () =>
    domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      if (!(await queries.spaces.remove(organisationId, name))) throw spaceNotFound();
    }),
  );
}
