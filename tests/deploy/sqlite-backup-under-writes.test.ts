import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runLift } from './lift-command.js';
import { scratchDirectories } from '../support/scratch-directories.js';

const scratch = scratchDirectories();

// Three of the installation's files: two services' databases and an outbox, as lift up leaves them.
const files = ['lift.auth.db', 'lift.memory.db', 'lift.gateway.outbox.db'];
const payload = (id: number) => `${id}:${'x'.repeat(1_000)}`;

function createDatabases(data: string, rows: number): Map<string, BetterSqlite3.Database> {
  const open = new Map<string, BetterSqlite3.Database>();
  for (const name of files) {
    const database = new BetterSqlite3(join(data, name));
    database.pragma('journal_mode = WAL');
    database.exec('create table writes (id integer primary key, payload text not null)');
    const insert = database.prepare('insert into writes (id, payload) values (?, ?)');
    database.transaction(() => {
      for (let id = 1; id <= rows; id += 1) insert.run(id, payload(id));
    })();
    open.set(name, database);
  }
  return open;
}

function rowsOf(file: string): { id: number; payload: string }[] {
  // Read-write, though it only reads: a read-only connection leaves -wal and -shm files behind.
  const database = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return database.prepare('select id, payload from writes order by id').all() as { id: number; payload: string }[];
  } finally {
    database.close();
  }
}

describe('lift backup and restore on SQLite', () => {
  it('backs up while every database is being written to, and the restore gives back exactly the backup\'s rows — every write acknowledged before it started included', async () => {
    const home = scratch('lift-backup-sqlite-');
    const data = join(home, 'data');
    mkdirSync(data, { mode: 0o700 });
    const open = createDatabases(data, 5_000);
    // A steady stream of writes, one committed row per database per tick: what the services do.
    let written = 5_000;
    const writer = setInterval(() => {
      written += 1;
      for (const database of open.values()) database.prepare('insert into writes (id, payload) values (?, ?)').run(written, payload(written));
    }, 1);
    const acknowledgedBeforeBackup = written;
    const backupDirectory = join(home, 'backup-1');
    const backup = await runLift(home, {}, 'backup', '--to', backupDirectory);
    clearInterval(writer);
    expect(backup.code, backup.stderr).toBe(0);
    // The writes went on while the backup ran (the test proves nothing otherwise).
    expect(written).toBeGreaterThan(acknowledgedBeforeBackup);
    for (const database of open.values()) database.close();

    const manifest = JSON.parse(readFileSync(join(backupDirectory, 'manifest.json'), 'utf8')) as { backend: string; startedAt: string; files: { name: string; kind: string; restoreTo: string; sha256: string }[] };
    expect(manifest.backend).toBe('sqlite');
    expect(manifest.files.map((file) => file.name).sort()).toEqual([...files].sort());
    // Each copy is one self-contained file.
    expect(readdirSync(backupDirectory).sort()).toEqual([...files, 'manifest.json'].sort());
    const snapshots = new Map<string, { id: number; payload: string }[]>();
    for (const file of manifest.files) {
      expect(file).toMatchObject({ kind: 'sqlite', restoreTo: `data/${file.name}` });
      expect(createHash('sha256').update(readFileSync(join(backupDirectory, file.name))).digest('hex')).toBe(file.sha256);
      const rows = rowsOf(join(backupDirectory, file.name));
      // One consistent snapshot: a prefix of the writes, with no gap, holding all acknowledged before the start.
      expect(rows.length).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
      expect(rows.every((row, index) => row.id === index + 1 && row.payload === payload(row.id))).toBe(true);
      snapshots.set(file.name, rows);
    }

    for (const name of readdirSync(data)) if (name.startsWith('lift.')) rmSync(join(data, name));
    const restore = await runLift(home, {}, 'restore', backupDirectory);
    expect(restore.code, restore.stderr).toBe(0);
    for (const name of files) expect(rowsOf(join(data, name))).toEqual(snapshots.get(name));
  });

  it('refuses to restore while lift up runs in the home, or while a database is open, and says what to do', async () => {
    const home = scratch('lift-restore-refused-');
    const data = join(home, 'data');
    mkdirSync(data, { mode: 0o700 });
    for (const database of createDatabases(data, 10).values()) database.close();
    const backupDirectory = join(home, 'backup');
    expect((await runLift(home, {}, 'backup', '--to', backupDirectory)).code).toBe(0);

    // A live pid in the pid file is a running lift up (this test's own process stands in for it).
    mkdirSync(join(data, 'run'), { recursive: true });
    writeFileSync(join(data, 'run', 'lift.pid'), `${process.pid}\n`);
    const running = await runLift(home, {}, 'restore', backupDirectory);
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/the platform is running \(lift up, pid \d+\); stop it first with "lift down"/);
    rmSync(join(data, 'run', 'lift.pid'));

    const holder = new BetterSqlite3(join(data, 'lift.auth.db'));
    holder.pragma('journal_mode = WAL');
    holder.prepare('insert into writes (id, payload) values (?, ?)').run(1_000, 'held open');
    const open = await runLift(home, {}, 'restore', backupDirectory);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('data/lift.auth.db-wal exist(s): a process still has the database open');
    holder.close();
    // Nothing was changed by the refusals.
    expect(rowsOf(join(data, 'lift.auth.db')).at(-1)?.id).toBe(1_000);

    const restored = await runLift(home, {}, 'restore', backupDirectory);
    expect(restored.code, restored.stderr).toBe(0);
    expect(rowsOf(join(data, 'lift.auth.db')).at(-1)?.id).toBe(10);
    // The files it replaced were moved aside, not deleted.
    const aside = readdirSync(data).find((name) => name.startsWith('pre-restore-'));
    expect(aside).toBeDefined();
    expect(rowsOf(join(data, aside as string, 'lift.auth.db')).at(-1)?.id).toBe(1_000);
  });

  it('refuses a backup whose file no longer matches its checksum, before changing anything', async () => {
    const home = scratch('lift-restore-damaged-');
    const data = join(home, 'data');
    mkdirSync(data, { mode: 0o700 });
    for (const database of createDatabases(data, 10).values()) database.close();
    const backupDirectory = join(home, 'backup');
    expect((await runLift(home, {}, 'backup', '--to', backupDirectory)).code).toBe(0);
    writeFileSync(join(backupDirectory, 'lift.memory.db'), 'damaged');
    const result = await runLift(home, {}, 'restore', backupDirectory);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lift.memory.db does not match its checksum in the manifest');
    expect(existsSync(join(data, 'lift.memory.db'))).toBe(true);
    expect(readdirSync(data).some((name) => name.startsWith('pre-restore-'))).toBe(false);
  });
});

describe('lift backup with nothing to back up', () => {
  it('says where it looked and leaves no directory behind that could pass for a backup', async () => {
    const home = scratch('lift-backup-empty-');
    const result = await runLift(home, {}, 'backup', '--to', join(home, 'backup'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no SQLite database in ${join(home, 'data')} (lift.*.db); has the platform ever started in ${home}?`);
    expect(existsSync(join(home, 'backup'))).toBe(false);
  });

  it('names an unreachable PostgreSQL without its password', async () => {
    const home = scratch('lift-backup-unreachable-');
    const result = await runLift(home, { DATABASE_URL: 'postgresql://lift:hunter2-secret@127.0.0.1:1/lift' }, 'backup', '--to', join(home, 'backup'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lift: backup failed: PostgreSQL at postgresql://lift:***@127.0.0.1:1/lift answered: connect ECONNREFUSED');
    expect(result.stderr).not.toContain('hunter2');
    expect(existsSync(join(home, 'backup'))).toBe(false);
  });
});
