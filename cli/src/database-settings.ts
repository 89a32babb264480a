import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse, relative } from 'node:path';
import { parseEnv } from 'node:util';

/** An outbox file of the installation, with the name its copy has in a backup whatever its path. */
export interface OutboxFile {
  readonly backupName: string;
  readonly file: string;
}

/** The database a `lift up` in this home uses, as its services would read it (environment over .env.local). */
export type DatabaseSettings = (
  | { readonly backend: 'sqlite'; readonly url: string; readonly directory: string; readonly baseName: string; readonly outboxes: readonly OutboxFile[] }
  | { readonly backend: 'postgres'; readonly url: string; readonly schemas: readonly string[]; readonly outboxes: readonly OutboxFile[] }
) & {
  /** LIFT_BACKUP_KEY as set (backups are signed with it); undefined when unset. */
  readonly backupKey?: string;
};

/** The services with tables of their own: PostgreSQL schemas (or DATABASE_SCHEMA) and SQLite files. */
export const servicesWithDatabases: readonly string[] = ['auth', 'billing', 'memory', 'observability', 'registry', 'gateway'];

/** Outbox files that hold events not yet delivered (without Redis), with the services' defaults. */
const outboxVariables: Readonly<Record<string, { service: string; fallback: string }>> = {
  EVENT_OUTBOX_FILE: { service: 'gateway', fallback: 'data/lift.gateway.outbox.db' },
  REVOCATION_OUTBOX_FILE: { service: 'auth', fallback: 'data/lift.auth.outbox.db' },
  MEMORY_OUTBOX_FILE: { service: 'memory', fallback: 'data/lift.memory.outbox.db' },
};

/** The settings the backup and restore read; the services would resolve a secret reference in any of them. */
const databaseVariables = ['DATABASE_URL', 'DATABASE_SCHEMA', 'LIFT_BACKUP_KEY', ...Object.keys(outboxVariables)];

export class DatabaseSettingsError extends Error {}

export async function databaseSettings(home: string, env: NodeJS.ProcessEnv): Promise<DatabaseSettings> {
  const envFile = join(home, '.env.local');
  const settings = await withSecretReferencesResolved({ ...(existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}), ...env });
  const url = settings.DATABASE_URL || 'sqlite:///data/lift.db';
  // Relative paths are relative to the home: the services run there.
  const outboxes = Object.entries(outboxVariables).map(([name, { service, fallback }]) => ({ backupName: `lift.${service}.outbox.db`, file: join(home, settings[name] || fallback) }));
  const backupKey = settings.LIFT_BACKUP_KEY ? { backupKey: settings.LIFT_BACKUP_KEY } : {};
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { backend: 'postgres', url, schemas: settings.DATABASE_SCHEMA ? [settings.DATABASE_SCHEMA] : servicesWithDatabases, outboxes, ...backupKey };
  }
  // The kit's databaseLocation rule (sqlite:///data/x.db relative, sqlite:////var/x.db absolute),
  // restated: importing @lift/kit would load Fastify and the rest into every lift command's start.
  const path = url.replace(/^sqlite:\/\/\//, '');
  const file = path.startsWith('/') ? path : join(home, path);
  return { backend: 'sqlite', url, directory: dirname(file), baseName: parse(file).name, outboxes, ...backupKey };
}

/**
 * `DATABASE_URL=file:/run/secrets/database-url` (or vault:, aws-sm:) names the URL rather than
 * holding it; the services resolve it at start, so the CLI must too, or it would take the
 * reference for an SQLite path. The kit's resolver is loaded only then (it costs ~0.9 s).
 */
async function withSecretReferencesResolved(settings: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const references = databaseVariables.filter((name) => /^(vault|aws-sm|file):./.test(settings[name] ?? ''));
  if (references.length === 0) return settings;
  const kit = await import('@lift/kit');
  const resolved = { ...settings };
  for (const name of references) {
    try {
      resolved[name] = await kit.resolveSecretReference(settings[name] as string, { env: settings });
    } catch (error) {
      throw new DatabaseSettingsError(`${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  return resolved;
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
  for (const { file } of settings.outboxes) if (existsSync(file)) files.add(file);
  return [...files].sort();
}

/**
 * Where each file a backup may hold belongs under these settings, by its name in the backup:
 * `lift.<service>.db` in the database's directory under its base name, `lift.<service>.outbox.db`
 * where the outbox setting puts it. Nothing else is a file of the installation.
 */
export function installationFiles(settings: DatabaseSettings): Map<string, string> {
  const files = new Map<string, string>();
  if (settings.backend === 'sqlite') {
    for (const service of servicesWithDatabases) files.set(`lift.${service}.db`, join(settings.directory, `${settings.baseName}.${service}.db`));
  }
  for (const { backupName, file } of settings.outboxes) files.set(backupName, file);
  return files;
}

/** A path as messages show it: relative to the home when inside it. */
export function pathInHome(home: string, file: string): string {
  const inside = relative(home, file);
  return inside.startsWith('..') ? file : inside;
}

/** The URL without its password, for the manifest and messages (the kit's redactedDatabaseUrl; see above why not imported). */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
