import { sql, type Kysely } from 'kysely';
import type { BillingTables } from '../tables.js';

export type UsageEventRow = BillingTables['usage_events'];
export type UsageDeadLetterRow = BillingTables['usage_dead_letters'];
export type Aggregation = 'sum' | 'count' | 'max' | 'unique';

export interface UsageWindow {
  readonly organisationId: string;
  readonly metric: string;
  readonly from: Date;
  readonly to: Date;
}

// Many rows per INSERT, fewer than SQLite's 32,766 bound parameters (7 columns each).
const rowsPerInsert = 1_000;

/** Usage events, their totals, and the events that could not be counted. */
export function usageStore(db: Kysely<BillingTables>, dialect: 'sqlite' | 'postgres') {
  const inWindow = (window: UsageWindow) =>
    db
      .selectFrom('usage_events')
      .where('organisation_id', '=', window.organisationId)
      .where('metric', '=', window.metric)
      .where('occurred_at', '>=', window.from.toISOString())
      .where('occurred_at', '<', window.to.toISOString());

  return {
    /**
     * Inserts the events; one the organisation already reported (same organisation and id) is
     * skipped — another tenant's event with the same id is not. Returns how many were new.
     * Run it in a transaction: a batch larger than one INSERT is then stored whole or not at all.
     */
    insertEvents: async (rows: readonly UsageEventRow[]): Promise<number> => {
      let inserted = 0;
      for (let start = 0; start < rows.length; start += rowsPerInsert) {
        const result = await db
          .insertInto('usage_events')
          .values(rows.slice(start, start + rowsPerInsert))
          .onConflict((conflict) => conflict.columns(['organisation_id', 'id']).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return inserted;
    },

    /**
     * One aggregate of an organisation's events of a metric in [from, to). `unique` counts distinct
     * values of one property; reading JSON is the one place SQLite and PostgreSQL differ.
     */
    aggregate: async (query: UsageWindow & { aggregation: Aggregation; property?: string }): Promise<number> => {
      const base = inWindow(query);
      let value: unknown;
      if (query.aggregation === 'unique') {
        const property = query.property ?? '';
        const extracted = dialect === 'postgres' ? sql`(properties::json ->> ${property})` : sql`json_extract(properties, ${`$."${property.replace(/"/g, '')}"`})`;
        value = (await base.select(sql<number>`count(distinct ${extracted})`.as('value')).executeTakeFirst())?.value;
      } else if (query.aggregation === 'count') {
        value = (await base.select((eb) => eb.fn.countAll().as('value')).executeTakeFirst())?.value;
      } else {
        const column = sql.ref('quantity');
        value = (await base.select(query.aggregation === 'sum' ? sql`coalesce(sum(${column}), 0)`.as('value') : sql`coalesce(max(${column}), 0)`.as('value')).executeTakeFirst())?.value;
      }
      return Number(value ?? 0);
    },

    /** The quantity of the organisation's latest event of the metric before `from` (a level carried into the window). */
    lastBefore: async (window: UsageWindow): Promise<number | undefined> => {
      const row = await db
        .selectFrom('usage_events')
        .select('quantity')
        .where('organisation_id', '=', window.organisationId)
        .where('metric', '=', window.metric)
        .where('occurred_at', '<', window.from.toISOString())
        .orderBy('occurred_at', 'desc')
        .orderBy('received_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.quantity);
    },

    /** Totals per UTC day that has events (ISO text times: the first 10 characters are the day on both databases). */
    dailyTotals: async (window: UsageWindow): Promise<Map<string, number>> => {
      const day = sql<string>`substr(occurred_at, 1, 10)`;
      const rows = await inWindow(window).select([day.as('day'), sql<string>`sum(quantity)`.as('total')]).groupBy(day).execute();
      return new Map(rows.map((row) => [row.day, Number(row.total)]));
    },

    /** Keeps events that could not be counted; one already kept under the same id is left as it is. */
    insertDeadLetters: (rows: readonly UsageDeadLetterRow[]) => db.insertInto('usage_dead_letters').values(rows).onConflict((conflict) => conflict.column('event_id').doNothing()).execute(),
  };
}
