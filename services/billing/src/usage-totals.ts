import { sql } from 'kysely';
import type { BillingDomain } from './billing-domain.js';

export type Aggregation = 'sum' | 'count' | 'max' | 'unique';

/**
 * One aggregate of an organisation's events of a metric in [from, to). `unique` counts distinct
 * values of one property; reading JSON is the one place SQLite and PostgreSQL differ.
 */
export async function aggregateUsage(domain: BillingDomain, query: { organisationId: string; metric: string; from: Date; to: Date; aggregation: Aggregation; property?: string }): Promise<number> {
  const base = domain.db
    .selectFrom('usage_events')
    .where('organisation_id', '=', query.organisationId)
    .where('metric', '=', query.metric)
    .where('occurred_at', '>=', query.from.toISOString())
    .where('occurred_at', '<', query.to.toISOString());
  let value: unknown;
  if (query.aggregation === 'unique') {
    const property = query.property ?? '';
    const extracted = domain.dialect === 'postgres' ? sql`(properties::json ->> ${property})` : sql`json_extract(properties, ${`$."${property.replace(/"/g, '')}"`})`;
    value = (await base.select(sql<number>`count(distinct ${extracted})`.as('value')).executeTakeFirst())?.value;
  } else if (query.aggregation === 'count') {
    value = (await base.select((eb) => eb.fn.countAll().as('value')).executeTakeFirst())?.value;
  } else {
    const column = sql.ref('quantity');
    value = (await base.select(query.aggregation === 'sum' ? sql`coalesce(sum(${column}), 0)`.as('value') : sql`coalesce(max(${column}), 0)`.as('value')).executeTakeFirst())?.value;
  }
  return Number(value ?? 0);
}
