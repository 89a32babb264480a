import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyBackupFile } from './backup-file-reading.js';
import { redactedUrl } from './database-settings.js';

/**
 * A PostgreSQL URL split for the client tools: the password goes to them in PGPASSWORD, never on
 * their command line, where `ps` would show it to every user of the machine.
 */
function toolConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export class PostgresToolError extends Error {}

/** Runs one of PostgreSQL's client tools to its end; what it printed on stdout, when `output` asks for it. */
export function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, output = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', output ? 'pipe' : 'ignore', 'pipe'] });
    let printed = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new PostgresToolError(error.code === 'ENOENT' ? `${tool} is not installed (the PostgreSQL client tools: apt-get install postgresql-client)` : `${tool}: ${error.message}`)),
    );
    child.once('exit', (code) => (code === 0 ? resolve(printed) : reject(new PostgresToolError(`${tool} exited with ${code}: ${errors.trim()}`))));
  });
}

/** The services' schemas that exist in the database (a service never started has none). */
export async function existingSchemas(url: string, candidates: readonly string[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname = any($1) order by nspname', [candidates]);
    return result.rows.map((row) => row.nspname);
  });
}

/**
 * Other sessions on the database — running services hold pooled connections — with what names
 * them, so a restore can refuse while the platform is up.
 */
export async function otherSessions(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ who: string }>(
      "select coalesce(nullif(application_name, ''), usename, 'pid ' || pid) as who from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'",
    );
    return result.rows.map((row) => row.who);
  });
}

/**
 * Objects outside `schemas` that depend on objects inside them — a view of another schema over
 * auth.users, a foreign key to it — which `drop schema … cascade` would drop silently. A view's
 * dependency is recorded on its rewrite rule, so the rule is named by its view. One line each:
 * `reporting.user_count (view) depends on auth.users`.
 */
export async function dependentsOutside(url: string, schemas: readonly string[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ dependent: string; kind: string; referenced: string[] }>(
      `with edges as (
         select case when d.classid = 'pg_rewrite'::regclass then 'pg_class'::regclass else d.classid end as classid,
                coalesce(r.ev_class, d.objid) as objid,
                case when d.classid = 'pg_rewrite'::regclass then 0 else d.objsubid end as objsubid,
                d.refclassid, d.refobjid
         from pg_depend d left join pg_rewrite r on d.classid = 'pg_rewrite'::regclass and r.oid = d.objid
         where d.deptype in ('n', 'a'))
       select dependent.identity as dependent, dependent.type as kind, array_agg(distinct referenced.identity order by referenced.identity) as referenced
       from edges
       cross join lateral pg_identify_object(edges.classid, edges.objid, edges.objsubid) as dependent
       cross join lateral pg_identify_object(edges.refclassid, edges.refobjid, 0) as referenced
       where referenced.schema = any($1) and dependent.schema is not null and not dependent.schema = any($1)
       group by dependent.identity, dependent.type
       order by 1`,
      [schemas],
    );
    return result.rows.map((row) => `${row.dependent} (${row.kind}) depends on ${row.referenced.join(', ')}`);
  });
}

/**
 * `pg_dump -Fc` of the services' schemas in one run, so one snapshot covers them all (a usage
 * event in billing and the gateway's record of it agree). No owners or grants: the dump restores
 * as whichever role runs the restore.
 */
export async function dumpSchemas(url: string, schemas: readonly string[], file: string): Promise<void> {
  const connection = toolConnection(url);
  await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', ...schemas.map((schema) => `--schema=${schema}`), `--file=${file}`, `--dbname=${connection.url}`], connection.env);
  chmodSync(file, 0o600);
}

/**
 * Replaces the schemas with the dump's, all or nothing. pg_restore first writes the dump's SQL to
 * a private temporary file and must finish cleanly: were it piped into psql, a pg_restore dying
 * half-way (a truncated dump) would end psql's input, and psql would commit what it had — the
 * dropped schemas and part of the rows. Then one psql transaction drops the schemas (with what
 * later migrations added, which the dump's migration table would not know) and replays the SQL;
 * an error stops it and rolls everything back.
 */
export async function restoreSchemas(url: string, schemas: readonly string[], file: string, sha256: string, checkCopy: (copy: string) => Promise<void>): Promise<void> {
  const connection = toolConnection(url);
  const workspace = mkdtempSync(join(tmpdir(), 'lift-restore-'));
  try {
    // pg_restore reads a private copy, checked as copied: the backup's file cannot change (or turn
    // into a link) between the checksum and the replay.
    const copy = join(workspace, 'backup.dump');
    if (copyBackupFile(file, file, copy) !== sha256) throw new PostgresToolError(`${file} does not match its checksum in the manifest: the backup is damaged; nothing was changed`);
    await checkCopy(copy);
    const script = join(workspace, 'restore.sql');
    // The SQL holds every row of the dump: only we may read it (mkdtemp makes the directory 0700).
    closeSync(openSync(script, 'wx', 0o600));
    await runTool('pg_restore', ['--no-owner', '--no-privileges', `--file=${script}`, copy], connection.env).catch((error: unknown) => {
      throw new PostgresToolError(`${file} cannot be read to the end, so nothing was changed: ${(error as Error).message}`, { cause: error });
    });
    const drops = schemas.map((schema) => `drop schema if exists "${schema.replace(/"/g, '""')}" cascade;`).join(' ');
    await runTool('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--command=${drops}`, `--file=${script}`, `--dbname=${connection.url}`], connection.env).catch((error: unknown) => {
      throw new PostgresToolError(`replaying ${file} failed and was rolled back, so nothing was changed: ${(error as Error).message}`, { cause: error });
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function withClient<T>(url: string, work: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'lift backup' });
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    throw new PostgresToolError(`PostgreSQL at ${redactedUrl(url)} answered: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end();
  }
}
