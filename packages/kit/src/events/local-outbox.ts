import { createPrivateFile, sqliteFiles, warnAboutOpenFiles, type WarningLog } from '../files/private-files.js';
import type { EventSink } from './event-sink.js';

export interface OutboxBatch {
  readonly id: number;
  /** The batch as it was written: a JSON array of events, passed on without parsing. */
  readonly json: string;
  readonly count: number;
}

export interface LocalOutbox extends EventSink {
  /** The oldest batches not yet delivered, in the order they were written. */
  oldest(limit: number): OutboxBatch[];
  /** Forgets batches once the consumer has acknowledged them. */
  remove(ids: readonly number[]): void;
  /** Batches waiting for delivery. */
  size(): number;
  /** Called after every write, so a relay can deliver without polling. */
  onWrite(listener: () => void): void;
}

/**
 * A durable queue in a SQLite file beside the service, for installations without Redis: a batch
 * is committed before the publisher forgets it, so it survives a crash of the producer and waits
 * there until the consumer takes it. WAL with synchronous=NORMAL by default: a commit costs tens
 * of microseconds instead of an fsync on the producer's event loop; only power loss can take the
 * last commits, the same window the in-memory batch already has. FULL closes it.
 */
export async function openLocalOutbox(file: string, options: { synchronous?: 'NORMAL' | 'FULL'; log?: WarningLog } = {}): Promise<LocalOutbox> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  // Events carry organisations and what they did: the file is as private as a database.
  if (file !== ':memory:') createPrivateFile(file);
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  if (file !== ':memory:' && options.log) warnAboutOpenFiles(options.log, sqliteFiles(file));
  connection.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  connection.pragma('busy_timeout = 5000');
  connection.exec('create table if not exists event_batches (id integer primary key autoincrement, events text not null, count integer not null, written_at text not null)');
  const insert = connection.prepare<[string, number, string]>('insert into event_batches (events, count, written_at) values (?, ?, ?)');
  const select = connection.prepare<[number], { id: number; events: string; count: number }>('select id, events, count from event_batches order by id limit ?');
  const count = connection.prepare<[], { n: number }>('select count(*) as n from event_batches');
  const listeners: (() => void)[] = [];
  return {
    kind: 'outbox',
    async write(events) {
      insert.run(JSON.stringify(events), events.length, new Date().toISOString());
      for (const listener of listeners) listener();
    },
    oldest: (limit) => select.all(limit).map((row) => ({ id: row.id, json: row.events, count: row.count })),
    remove(ids) {
      if (ids.length === 0) return;
      connection.prepare(`delete from event_batches where id in (${ids.map(() => '?').join(',')})`).run(...ids);
    },
    size: () => count.get()?.n ?? 0,
    onWrite: (listener) => void listeners.push(listener),
    close: async () => {
      if (connection.open) connection.close();
    },
  };
}
