import { sql, type Kysely, type Selectable } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { MetricsTables } from '../metrics/metrics-tables.js';
import type { ObservabilityTables } from '../tables.js';

export type MetricDeltaRow = Selectable<MetricsTables['metric_deltas']>;
export type MetricRoundRow = Selectable<MetricsTables['metric_rounds']>;

// SQLite caps bound parameters; inserts go in chunks well below it (7 columns a row).
const insertChunk = 500;

function metricsQueries(db: Kysely<ObservabilityTables>) {
  return {
    baseline: (target: string) => db.selectFrom('service_metric_baselines').selectAll().where('service', '=', target).executeTakeFirst(),

    async saveBaseline(target: string, scrapedAt: string, totals: string): Promise<void> {
      const updated = await db.updateTable('service_metric_baselines').set({ scraped_at: scrapedAt, totals }).where('service', '=', target).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('service_metric_baselines').values({ service: target, scraped_at: scrapedAt, totals }).execute();
    },

    async insertRound(round: MetricRoundRow, deltas: readonly MetricDeltaRow[]): Promise<void> {
      await db.insertInto('metric_rounds').values(round).execute();
      for (let start = 0; start < deltas.length; start += insertChunk) await db.insertInto('metric_deltas').values(deltas.slice(start, start + insertChunk)).execute();
    },

    /** Per target, how long its rounds since `from` cover together (ms). */
    async coverageSince(from: string): Promise<{ target: string; covered_ms: number }[]> {
      const rows = await db.selectFrom('metric_rounds').select(['target', sql<number | string>`sum(window_ms)`.as('covered_ms')]).where('sampled_at', '>', from).groupBy('target').execute();
      return rows.map((row) => ({ target: row.target, covered_ms: Number(row.covered_ms) }));
    },

    /**
     * The changes since `from`, summed per target and series in the database: the answer is as
     * large as the number of series, however long the window.
     */
    async changesSince(from: string, filter: { service?: string; route?: string }): Promise<Omit<MetricDeltaRow, 'sampled_at'>[]> {
      let query = db
        .selectFrom('metric_deltas')
        .select(['target', 'service', 'route', 'status', 'le', sql<number | string>`sum(value)`.as('value')])
        .where('sampled_at', '>', from)
        .groupBy(['target', 'service', 'route', 'status', 'le']);
      if (filter.service !== undefined) query = query.where('service', '=', filter.service);
      if (filter.route !== undefined) query = query.where('route', '=', filter.route);
      return (await query.execute()).map((row) => ({ ...row, value: Number(row.value) }));
    },

    async deleteBefore(cutoff: string): Promise<void> {
      await db.deleteFrom('metric_deltas').where('sampled_at', '<', cutoff).execute();
      await db.deleteFrom('metric_rounds').where('sampled_at', '<', cutoff).execute();
    },
  };
}

export type MetricsQueries = ReturnType<typeof metricsQueries>;
/** The self-scraped series' storage seam. */
export type MetricsStore = TransactionalStore<MetricsQueries>;

export function metricsStore(db: Kysely<ObservabilityTables>): MetricsStore {
  return transactionalStore(db, metricsQueries);
}
