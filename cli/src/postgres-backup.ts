import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
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

function run(tool: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new PostgresToolError(error.code === 'ENOENT' ? `${tool} is not installed (the PostgreSQL client tools: apt-get install postgresql-client)` : `${tool}: ${error.message}`)),
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new PostgresToolError(`${tool} exited with ${code}: ${errors.trim()}`))));
    if (input && child.stdin) input.pipe(child.stdin);
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
 * `pg_dump -Fc` of the services' schemas in one run, so one snapshot covers them all (a usage
 * event in billing and the gateway's record of it agree). No owners or grants: the dump restores
 * as whichever role runs the restore.
 */
export async function dumpSchemas(url: string, schemas: readonly string[], file: string): Promise<void> {
  const connection = toolConnection(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', ...schemas.map((schema) => `--schema=${schema}`), `--file=${file}`, `--dbname=${connection.url}`], connection.env);
  chmodSync(file, 0o600);
}

/**
 * Replaces the schemas with the dump's, all or nothing: the schemas are dropped (with what later
 * migrations added, which the dump's migration table would not know) and the dump's SQL replayed,
 * in one transaction of psql — a failure leaves the database as it was.
 */
export async function restoreSchemas(url: string, schemas: readonly string[], file: string): Promise<void> {
  const connection = toolConnection(url);
  const { PassThrough } = await import('node:stream');
  const script = new PassThrough();
  script.write(schemas.map((schema) => `drop schema if exists "${schema.replace(/"/g, '""')}" cascade;\n`).join(''));
  const replay = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', file], { env: connection.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let replayErrors = '';
  replay.stderr.on('data', (chunk: Buffer) => (replayErrors += chunk.toString('utf8')));
  const replayed = new Promise<void>((resolve, reject) => {
    replay.once('error', (error: NodeJS.ErrnoException) => reject(new PostgresToolError(error.code === 'ENOENT' ? 'pg_restore is not installed (the PostgreSQL client tools: apt-get install postgresql-client)' : `pg_restore: ${error.message}`)));
    replay.once('exit', (code) => (code === 0 ? resolve() : reject(new PostgresToolError(`pg_restore exited with ${code}: ${replayErrors.trim()}`))));
  });
  replay.stdout.pipe(script);
  await Promise.all([replayed, run('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', '--file=-', `--dbname=${connection.url}`], connection.env, script)]);
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
