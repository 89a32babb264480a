import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse, relative } from 'node:path';
import { parseEnv } from 'node:util';

/** The database a `lift up` in this home uses, as its services would read it (environment over .env.local). */
export type DatabaseSettings =
  | { readonly backend: 'sqlite'; readonly url: string; readonly directory: string; readonly baseName: string; readonly outboxFiles: readonly string[] }
  | { readonly backend: 'postgres'; readonly url: string; readonly schemas: readonly string[]; readonly outboxFiles: readonly string[] };

/** The services with tables of their own: PostgreSQL schemas (or DATABASE_SCHEMA) and SQLite files. */
export const servicesWithDatabases: readonly string[] = ['auth', 'billing', 'memory', 'observability', 'registry', 'gateway'];

/** Outbox files that hold events not yet delivered (without Redis), with the services' defaults. */
const outboxVariables: Readonly<Record<string, string>> = {
  EVENT_OUTBOX_FILE: 'data/lift.gateway.outbox.db',
  REVOCATION_OUTBOX_FILE: 'data/lift.auth.outbox.db',
  MEMORY_OUTBOX_FILE: 'data/lift.memory.outbox.db',
};

export function databaseSettings(home: string, env: NodeJS.ProcessEnv): DatabaseSettings {
  const envFile = join(home, '.env.local');
  const settings = { ...(existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}), ...env };
  const url = settings.DATABASE_URL || 'sqlite:///data/lift.db';
  // Relative paths are relative to the home: the services run there.
  const outboxFiles = Object.entries(outboxVariables).map(([name, fallback]) => join(home, settings[name] || fallback));
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { backend: 'postgres', url, schemas: settings.DATABASE_SCHEMA ? [settings.DATABASE_SCHEMA] : servicesWithDatabases, outboxFiles };
  }
  // The kit's databaseLocation rule (sqlite:///data/x.db relative, sqlite:////var/x.db absolute),
  // restated: importing @lift/kit would load Fastify and the rest into every lift command's start.
  const path = url.replace(/^sqlite:\/\/\//, '');
  const file = path.startsWith('/') ? path : join(home, path);
  return { backend: 'sqlite', url, directory: dirname(file), baseName: parse(file).name, outboxFiles };
}

/**
 * Every SQLite file of the installation that exists now: each service's `<base>.<service>.db`
 * in the database's directory (outboxes there included), and outbox files kept elsewhere.
 */
export function existingSqliteFiles(settings: DatabaseSettings): string[] {
  const files = new Set<string>();
  if (settings.backend === 'sqlite' && existsSync(settings.directory)) {
    for (const name of readdirSync(settings.directory)) {
      if (name.startsWith(`${settings.baseName}.`) && name.endsWith('.db')) files.add(join(settings.directory, name));
    }
  }
  for (const file of settings.outboxFiles) if (existsSync(file)) files.add(file);
  return [...files].sort();
}

/** A path as the manifest keeps it: relative to the home when inside it. */
export function pathInHome(home: string, file: string): string {
  const inside = relative(home, file);
  return inside.startsWith('..') ? file : inside;
}

/** The URL without its password, for the manifest and messages (the kit's redactedDatabaseUrl; see above why not imported). */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
