import type { Kysely } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { BillingTables } from '../tables.js';
import { invoicesStore } from './invoices-store.js';
import { plansStore } from './plans-store.js';
import { stripeStore } from './stripe-store.js';
import { subscriptionsStore } from './subscriptions-store.js';
import { usageStore } from './usage-store.js';

export type { InvoiceRow, InvoiceStatus } from './invoices-store.js';
export type { SubscriptionRow } from './subscriptions-store.js';
export type { Aggregation } from './usage-store.js';

function billingQueries(db: Kysely<BillingTables>, dialect: 'sqlite' | 'postgres') {
  return {
    plans: plansStore(db),
    subscriptions: subscriptionsStore(db),
    usage: usageStore(db, dialect),
    invoices: invoicesStore(db),
    stripe: stripeStore(db),
  };
}

export type BillingQueries = ReturnType<typeof billingQueries>;
/** Billing's one storage seam: every query, per aggregate, and `transaction` to run several atomically. */
export type BillingStore = TransactionalStore<BillingQueries>;

export function billingStore(db: Kysely<BillingTables>, dialect: 'sqlite' | 'postgres'): BillingStore {
  return transactionalStore(db, (connection) => billingQueries(connection, dialect));
}
