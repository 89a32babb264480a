import { sql, type Kysely } from 'kysely';
import type { BillingTables } from '../tables.js';

export type InvoiceRow = BillingTables['invoices'];
export type InvoiceStatus = InvoiceRow['status'];

/** Invoices and the counter their numbers come from (the Stripe column is the Stripe store's). */
export function invoicesStore(db: Kysely<BillingTables>) {
  return {
    of: (organisationId: string) => db.selectFrom('invoices').selectAll().where('organisation_id', '=', organisationId).orderBy('period_start', 'desc').execute(),
    byId: (organisationId: string, id: string) => db.selectFrom('invoices').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst(),
    existsForPeriod: async (organisationId: string, periodStart: string) =>
      (await db.selectFrom('invoices').select('id').where('organisation_id', '=', organisationId).where('period_start', '=', periodStart).executeTakeFirst()) !== undefined,
    /** Fails with a unique violation when the organisation's period has one. */
    insert: (row: InvoiceRow) => db.insertInto('invoices').values(row).execute(),
    statusOf: async (organisationId: string, id: string): Promise<InvoiceStatus | undefined> =>
      (await db.selectFrom('invoices').select('status').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst())?.status,
    /**
     * Moves the invoice to `change.status` if it is in one of `from`; false if it is not (or does
     * not exist). The conditional update takes the row's lock first: a concurrent move of the
     * same invoice waits, then finds the state changed.
     */
    moveStatus: async (invoice: { id: string; organisationId?: string }, from: readonly InvoiceStatus[], change: Pick<InvoiceRow, 'status'> & Partial<Pick<InvoiceRow, 'paid_at' | 'voided_at'>>): Promise<boolean> => {
      let query = db.updateTable('invoices').set(change).where('id', '=', invoice.id).where('status', 'in', from);
      if (invoice.organisationId !== undefined) query = query.where('organisation_id', '=', invoice.organisationId);
      return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
    },
    /**
     * Gives the invoice the next number from the one counter, incremented here: run it in the
     * finalizing transaction, so numbers have no gaps and no duplicates across replicas.
     */
    assignNextNumber: async (id: string, finalizedAt: string): Promise<void> => {
      await sql`update invoice_sequence set last_number = last_number + 1 where id = 1`.execute(db);
      const sequence = await db.selectFrom('invoice_sequence').select('last_number').where('id', '=', 1).executeTakeFirstOrThrow();
      await db.updateTable('invoices').set({ number: Number(sequence.last_number), finalized_at: finalizedAt }).where('id', '=', id).execute();
    },
  };
}
