import type { ExpressionBuilder, Kysely } from 'kysely';
import type { OutgoingMail, QueuedMail } from '../mail/outgoing-mail.js';
import type { AuthTables } from '../tables.js';

export interface DueMail extends QueuedMail {
  /** Deliveries tried before this one. */
  readonly attempts: number;
}

/** The mail outbox's rows: queued with the change that causes them, leased by one sender at a time. */
export function mailOutboxStore(db: Kysely<AuthTables>) {
  return {
    queue: async (id: string, mail: OutgoingMail, now: string): Promise<void> => {
      await db
        .insertInto('mail_outbox')
        .values({ id, kind: mail.kind, recipient: mail.to, subject: mail.subject, body_text: mail.text, created_at: now, attempts: 0, next_attempt_at: now })
        .execute();
    },

    /**
     * Takes up to `limit` due messages for `leaseUntil` in one conditional update: the conditions
     * are checked again on each row as it is written (PostgreSQL re-reads a row another replica
     * just changed; SQLite has one writer), so two replicas polling together never both send one
     * message, and a row another sender has just sent, failed (now waiting for its retry) or given
     * up is not taken. A sender that dies mid-delivery leaves a lease that simply runs out.
     */
    leaseDue: async (now: string, leaseUntil: string, limit: number): Promise<DueMail[]> => {
      const rows = await db
        .updateTable('mail_outbox')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', (query) => query.selectFrom('mail_outbox').select('id').where(isDue(now)).orderBy('next_attempt_at').limit(limit))
        .where(isDue(now))
        .returning(['id', 'kind', 'recipient', 'subject', 'body_text', 'attempts', 'next_attempt_at'])
        .execute();
      const leased: DueMail[] = [];
      for (const row of rows.sort((left, right) => left.next_attempt_at.localeCompare(right.next_attempt_at))) {
        if (row.body_text !== null) leased.push({ id: row.id, kind: row.kind, to: row.recipient, subject: row.subject, text: row.body_text, attempts: row.attempts });
      }
      return leased;
    },

    markSent: async (id: string, now: string): Promise<void> => {
      await db.updateTable('mail_outbox').set({ sent_at: now, body_text: null, lease_until: null, last_error: null }).where('id', '=', id).execute();
    },

    markFailed: async (id: string, attempts: number, nextAttemptAt: string, error: string): Promise<void> => {
      await db.updateTable('mail_outbox').set({ attempts, next_attempt_at: nextAttemptAt, lease_until: null, last_error: error }).where('id', '=', id).execute();
    },

    markAbandoned: async (id: string, attempts: number, now: string, error: string): Promise<void> => {
      await db.updateTable('mail_outbox').set({ attempts, abandoned_at: now, body_text: null, lease_until: null, last_error: error }).where('id', '=', id).execute();
    },

    /** Sent and abandoned rows are kept a while for support questions ("was it sent?"), then go. */
    forgetFinishedBefore: async (before: string): Promise<void> => {
      await db
        .deleteFrom('mail_outbox')
        .where((where) => where.or([where('sent_at', '<', before), where('abandoned_at', '<', before)]))
        .execute();
    },

    /** What is waiting or failed, for tests and the operator's log line. */
    pending: async (): Promise<{ id: string; recipient: string; kind: string; attempts: number; lastError: string | null }[]> => {
      const rows = await db
        .selectFrom('mail_outbox')
        .select(['id', 'recipient', 'kind', 'attempts', 'last_error'])
        .where('sent_at', 'is', null)
        .where('abandoned_at', 'is', null)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => ({ id: row.id, recipient: row.recipient, kind: row.kind, attempts: row.attempts, lastError: row.last_error }));
    },
  };
}

/** Waiting, due by `now`, and not leased by a sender (or its lease ran out). */
function isDue(now: string) {
  return (where: ExpressionBuilder<AuthTables, 'mail_outbox'>) =>
    where.and([
      where('sent_at', 'is', null),
      where('abandoned_at', 'is', null),
      where('next_attempt_at', '<=', now),
      where.or([where('lease_until', 'is', null), where('lease_until', '<=', now)]),
    ]);
}

export type MailOutboxStore = ReturnType<typeof mailOutboxStore>;
