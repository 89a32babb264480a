import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupManifest } from './backup-manifest.js';
import { installationFiles, type DatabaseSettings } from './database-settings.js';
import { schemasInDump } from './postgres-dump-contents.js';

export class RestoreRefused extends Error {}

/** What a restore does, decided and checked in full before it changes anything. */
export interface RestorePlan {
  /** Backup file → where the current settings keep it. */
  readonly sqlite: readonly { readonly source: string; readonly target: string; readonly sha256: string }[];
  readonly dumps: readonly { readonly source: string; readonly schemas: readonly string[]; readonly sha256: string }[];
}

/**
 * Decides where each file of a backup goes from the CURRENT settings, never from paths in the
 * manifest: a manifest is a file anyone who can write to the backup could edit, and its checksums
 * show damage, not tampering. So only files the installation has are restored (lift.<service>.db,
 * the outboxes), only SQLite databases go where SQLite databases are, and a dump may only replace
 * the services' own schemas.
 */
export async function planRestore(directory: string, manifest: BackupManifest, settings: DatabaseSettings, partial: boolean): Promise<RestorePlan> {
  const targets = installationFiles(settings);
  const sqlite: { source: string; target: string; sha256: string }[] = [];
  const dumps: { source: string; schemas: readonly string[]; sha256: string }[] = [];
  const strangers: string[] = [];
  for (const file of manifest.files) {
    const target = file.kind === 'sqlite' ? targets.get(file.name) : undefined;
    if (target !== undefined) sqlite.push({ source: join(directory, file.name), target, sha256: file.sha256 });
    else if (file.kind === 'pg_dump' && settings.backend === 'postgres') dumps.push({ source: join(directory, file.name), schemas: file.schemas, sha256: file.sha256 });
    else strangers.push(file.name);
  }
  if (strangers.length > 0) {
    throw new RestoreRefused(`the manifest lists ${strangers.join(', ')}, which ${strangers.length === 1 ? 'is' : 'are'} no file of this installation (${[...targets.keys()].join(', ')}${settings.backend === 'postgres' ? ', a pg_dump' : ''}); nothing was restored`);
  }
  // A backup that leaves out a database the installation has would "restore" by moving it aside.
  const missing = [...targets].filter(([name, file]) => /^lift\.[a-z]+\.db$/.test(name) && existsSync(file) && !manifest.files.some((entry) => entry.name === name)).map(([name]) => name);
  if (missing.length > 0 && !partial) {
    throw new RestoreRefused(`the backup holds no ${missing.join(', ')}, which this installation has; pass --partial to restore only the files it holds and keep the others; nothing was restored`);
  }
  // lift backup writes one dump, so one psql transaction replaces every schema.
  if (dumps.length > 1) throw new RestoreRefused(`the manifest lists ${dumps.length} dumps; a backup made by "lift backup" has one; nothing was restored`);
  if (settings.backend === 'postgres') {
    for (const dump of dumps) await checkDumpSchemas(dump.source, dump.schemas, settings.schemas);
  }
  return { sqlite, dumps };
}

/**
 * The dump may drop and fill the services' schemas only, by its manifest entry and by its own table
 * of contents; `label` names it in messages (the check runs again on the private copy that is replayed).
 */
export async function checkDumpSchemas(file: string, listed: readonly string[], allowed: readonly string[], label = file): Promise<void> {
  const foreign = listed.filter((schema) => !allowed.includes(schema));
  if (listed.length === 0 || foreign.length > 0) {
    throw new RestoreRefused(`the manifest would replace schema(s) ${listed.length === 0 ? '(none)' : foreign.join(', ')} with ${label}, but the services' schemas are ${allowed.join(', ')} (DATABASE_SCHEMA); nothing was restored`);
  }
  const inDump = await schemasInDump(file);
  const unlisted = [...inDump].filter((schema) => !listed.includes(schema));
  if (unlisted.length > 0) throw new RestoreRefused(`${label} holds objects of ${unlisted.join(', ')}, which the manifest does not list (it lists ${listed.join(', ')}); nothing was restored`);
}
