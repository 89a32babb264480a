import { ConflictError, InvalidInputError, type Clock } from '@lift/kit';
import { memoryErrorCodes } from './errors.js';
import type { MemoryDomain } from './memory-domain.js';
import type { MemoryRow, Validity } from './store/index.js';

/** Cosine similarity (current embedder) at or above which `onDuplicate: 'merge'` calls two memories one fact. */
export const nearDuplicateSimilarity = 0.95;
/** Neighbours of a new memory's vector looked at for a near-duplicate. */
const duplicateCandidates = 10;

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Which versions a read answers: the current facts unless it asks for superseded ones too, or for
 * the facts valid at `asOf` (400 naming the field when that is not an ISO-8601 timestamp or is in
 * the future, which nothing can be known about yet).
 */
export function validityOf(clock: Clock, request: { asOf?: string | undefined; includeSuperseded?: boolean | undefined }, field: string): Validity {
  if (request.asOf === undefined) return request.includeSuperseded ? 'all' : 'current';
  const instant = isoTimestamp.test(request.asOf) && isCalendarDate(request.asOf) ? Date.parse(request.asOf) : Number.NaN;
  if (Number.isNaN(instant)) throw new InvalidInputError(memoryErrorCodes.asOfInvalid, `asOf "${request.asOf}" is not an ISO-8601 timestamp; give one such as 2026-11-28T09:00:00Z.`, { field });
  if (instant > clock.now()) throw new InvalidInputError(memoryErrorCodes.asOfInvalid, `asOf ${request.asOf} is in the future; give a past instant, or leave it out for the facts as they stand now.`, { field });
  // One text shape (toISOString), so the store compares instants as text on both databases.
  return { asOf: new Date(instant).toISOString(), includeSuperseded: request.includeSuperseded ?? false };
}

/**
 * Whether the timestamp's date exists: Date.parse rolls 2026-02-31 over to 3 March (review of
 * issue #14), so the day is checked against the month's length (leap years included).
 */
function isCalendarDate(timestamp: string): boolean {
  const [year, month, day] = timestamp.slice(0, 10).split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const alreadySuperseded = (row: MemoryRow, field: string) =>
  new ConflictError(memoryErrorCodes.alreadySuperseded, `Memory ${row.id} was superseded${row.superseded_by ? ` by ${row.superseded_by}` : ''} at ${row.valid_to ?? 'an earlier time'}; supersede or change the current version instead.`, { extensions: { field } });

/**
 * The current memory a new one is a near-duplicate of, if any: same type, same userId and
 * sessionId (both absent counts as the same), not superseded, and a vector whose cosine
 * similarity with the new one's is at least {@link nearDuplicateSimilarity} — the nearest such.
 * Equal text after normalisation embeds to the same vector, so it is always a near-duplicate.
 */
export async function nearDuplicateOf(domain: MemoryDomain, organisationId: string, item: { type: string; userId: string | null; sessionId: string | null }, vector: Float32Array): Promise<string | undefined> {
  await domain.indexReady;
  const hits = domain.index.search(organisationId, vector, duplicateCandidates).filter((hit) => hit.similarity >= nearDuplicateSimilarity);
  if (hits.length === 0) return undefined;
  const rows = await domain.store.memories.byIds(organisationId, hits.map((hit) => hit.id), { types: [item.type], validity: 'current' });
  const fitting = new Set(rows.filter((row) => row.user_id === item.userId && row.session_id === item.sessionId).map((row) => row.id));
  return hits.find((hit) => fitting.has(hit.id))?.id;
}
