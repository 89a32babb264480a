import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, openLocalOutbox, warnAboutOpenFiles, type WarningLog } from '../src/index.js';
import { closeWhenDone } from './helper.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

function recordingLog(): WarningLog & { warnings: { bindings: Record<string, unknown>; message: string }[] } {
  const warnings: { bindings: Record<string, unknown>; message: string }[] = [];
  return { warnings, warn: (bindings, message) => void warnings.push({ bindings, message }) };
}

// Issue #10 item 12: SQLite files holding private keys and secrets were created world-readable.
describe('private files', () => {
  it('creates a SQLite database, its -wal and -shm files 0600 and its missing directories 0700', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lift-private-'));
    const file = join(root, 'home', 'data', 'lift.auth.db');
    const log = recordingLog();
    const database = await openDatabase({ location: { dialect: 'sqlite', file }, log });
    closeWhenDone(() => database.close());
    await sql`create table secrets (value text)`.execute(database.db);
    await sql`insert into secrets values ('private key')`.execute(database.db);
    expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
    expect({ db: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`) }).toEqual({ db: 0o600, wal: 0o600, shm: 0o600 });
    expect({ data: modeOf(join(root, 'home', 'data')), home: modeOf(join(root, 'home')) }).toEqual({ data: 0o700, home: 0o700 });
    expect(log.warnings).toEqual([]);
  });

  it('creates the local event outbox 0600', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lift-private-')), 'data', 'lift.gateway.outbox.db');
    const outbox = await openLocalOutbox(file);
    closeWhenDone(() => outbox.close());
    await outbox.write([{ id: 'e-1', org: 'org-a' }]);
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    expect(modeOf(join(file, '..'))).toBe(0o700);
  });

  it('warns at start about an existing database others can read, naming the file, its mode and the fix, and leaves it as it is', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lift-private-')), 'lift.billing.db');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const log = recordingLog();
    const database = await openDatabase({ location: { dialect: 'sqlite', file }, log });
    closeWhenDone(() => database.close());
    expect(log.warnings[0]).toEqual({
      bindings: { file, mode: '0644' },
      message: `${file} holds private data but other users may open it (mode 0644); make it private with: chmod 600 ${file}`,
    });
    expect(modeOf(file)).toBe(0o644);
  });

  it('warns about an .env.local others can read, and is quiet about a private or missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lift-private-'));
    const envFile = join(dir, '.env.local');
    writeFileSync(envFile, 'SERVICE_CLIENT_SECRETS=gateway:0123456789abcdef\n');
    chmodSync(envFile, 0o640);
    const log = recordingLog();
    warnAboutOpenFiles(log, [envFile, join(dir, 'missing')]);
    expect(log.warnings.map((warning) => warning.bindings)).toEqual([{ file: envFile, mode: '0640' }]);
    chmodSync(envFile, 0o600);
    warnAboutOpenFiles(log, [envFile]);
    expect(log.warnings).toHaveLength(1);
  });
});
