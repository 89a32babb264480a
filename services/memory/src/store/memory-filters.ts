import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { MemoryTables } from '../tables.js';

/** What a list or a search may be narrowed by; all given parts must hold (each list is "any of"). */
export interface MemoryFilters {
  readonly types?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly sources?: readonly string[] | undefined;
  /** Top-level metadata fields equal to these values. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** created_at ≥ from, < to (ISO-8601). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Only memories stored with this userId / sessionId. */
  readonly userId?: string | undefined;
  readonly sessionId?: string | undefined;
  /**
   * Which versions of facts: `current` (not superseded; the default a read passes), `all`, or
   * `{ asOf }` — those valid at that instant (created at or before it, superseded after it or not at all).
   * `{ asOf, includeSuperseded }` keeps every memory created by then.
   */
  readonly validity?: Validity | undefined;
}

export type Validity = 'current' | 'all' | { readonly asOf: string; readonly includeSuperseded?: boolean };

export type Dialect = 'sqlite' | 'postgres';

/**
 * The filters as one condition on `memories`. Metadata is JSON text on both databases; reading a
 * field is the one dialect difference (field names are checked by the route's schema).
 */
export function filterCondition(eb: ExpressionBuilder<MemoryTables, 'memories'>, filters: MemoryFilters, dialect: Dialect): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filters.types?.length) parts.push(eb('memories.type', 'in', [...filters.types]));
  if (filters.sources?.length) parts.push(eb('memories.source', 'in', [...filters.sources]));
  if (filters.tags?.length) {
    parts.push(eb.exists(eb.selectFrom('memory_tags').select('memory_tags.tag').whereRef('memory_tags.memory_id', '=', 'memories.id').where('memory_tags.tag', 'in', [...filters.tags])));
  }
  if (filters.userId !== undefined) parts.push(eb('memories.user_id', '=', filters.userId));
  if (filters.sessionId !== undefined) parts.push(eb('memories.session_id', '=', filters.sessionId));
  if (filters.from !== undefined) parts.push(eb('memories.created_at', '>=', filters.from));
  if (filters.to !== undefined) parts.push(eb('memories.created_at', '<', filters.to));
  const validity = filters.validity ?? 'all';
  if (validity === 'current') parts.push(eb('memories.valid_to', 'is', null));
  else if (validity !== 'all') {
    // ISO-8601 UTC text of one shape (toISOString) compares as the instants do.
    parts.push(eb('memories.created_at', '<=', validity.asOf));
    if (!validity.includeSuperseded) parts.push(eb.or([eb('memories.valid_to', 'is', null), eb('memories.valid_to', '>', validity.asOf)]));
  }
  for (const [field, value] of Object.entries(filters.metadata ?? {})) {
    if (dialect === 'postgres') {
      parts.push(sql<SqlBool>`(memories.metadata::jsonb -> ${field}) = ${JSON.stringify(value)}::jsonb`);
    } else {
      // json_extract gives SQL values: booleans come back as 1 and 0.
      const expected = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      parts.push(sql<SqlBool>`json_extract(memories.metadata, ${`$."${field}"`}) = ${expected} and json_type(memories.metadata, ${`$."${field}"`}) ${typeof value === 'boolean' ? sql`in ('true', 'false')` : typeof value === 'number' ? sql`in ('integer', 'real')` : sql`= 'text'`}`);
    }
  }
  return eb.and(parts);
}
