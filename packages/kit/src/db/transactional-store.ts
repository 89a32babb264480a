import type { Kysely } from 'kysely';

/** A store's queries, plus running several of them atomically. */
export type TransactionalStore<Queries> = Queries & {
  /**
   * Runs `work` in one database transaction: `queries` are the store's own, bound to the
   * transaction. It commits when `work` resolves and rolls back when it throws (the error is
   * rethrown), so domain code can check a rule mid-way and refuse by throwing.
   */
  transaction<Result>(work: (queries: Queries) => Promise<Result>): Promise<Result>;
};

/**
 * Builds a service's store from one function that makes its queries for a connection: once for
 * the database, and once per transaction for the transaction. So every query exists once, and
 * domain code never sees Kysely, whether or not it runs inside a transaction.
 */
export function transactionalStore<Schema, Queries extends object>(db: Kysely<Schema>, makeQueries: (connection: Kysely<Schema>) => Queries): TransactionalStore<Queries> {
  return {
    ...makeQueries(db),
    transaction: (work) => db.transaction().execute((transaction) => work(makeQueries(transaction))),
  };
}
