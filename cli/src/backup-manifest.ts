import { createHash } from 'node:crypto';
import { closeSync, createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashWhileReading, openBackupFile } from './backup-file-reading.js';
import { manifestProblem } from './backup-manifest-schema.js';
import { manifestSignature, signatureAlgorithm, verifyManifestSignature } from './backup-signature.js';

export const manifestFileName = 'manifest.json';
export const backupFormat = 'lift-backup/1';

/** One file of a backup: an SQLite database (with where it goes back) or a PostgreSQL dump. */
export type BackupFile =
  | { readonly name: string; readonly kind: 'sqlite'; readonly restoreTo: string; readonly bytes: number; readonly sha256: string }
  | { readonly name: string; readonly kind: 'pg_dump'; readonly schemas: readonly string[]; readonly bytes: number; readonly sha256: string };

/** What a backup holds, when it was taken and how to check it: `manifest.json` beside the files. */
export interface BackupManifest {
  readonly format: typeof backupFormat;
  readonly backend: 'sqlite' | 'postgres';
  /** When the backup started and finished (UTC); each file is a consistent snapshot from in between. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** DATABASE_URL without its password. */
  readonly database: string;
  readonly liftVersion: string;
  readonly files: readonly BackupFile[];
  /** HMAC-SHA256 of the rest with LIFT_BACKUP_KEY; absent in an unsigned backup. */
  readonly signature?: { readonly algorithm: typeof signatureAlgorithm; readonly value: string };
}

export class BackupManifestError extends Error {}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A backup file's SHA-256, read through one descriptor of a regular file (no link, pipe or device). */
function checksumOf(file: string): string {
  try {
    const descriptor = openBackupFile(file, file);
    try {
      return hashWhileReading(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch (error) {
    throw new BackupManifestError((error as Error).message, { cause: error });
  }
}

/** Writes manifest.json, signed when there is a key. */
export function writeManifest(directory: string, manifest: BackupManifest, key: string | undefined): void {
  const signed = key === undefined ? manifest : { ...manifest, signature: { algorithm: signatureAlgorithm, value: manifestSignature({ ...manifest }, key) } };
  writeFileSync(join(directory, manifestFileName), `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Reads the manifest, checks its signature before anything else of it is used (unless the caller
 * trusts unsigned backups), then every file against its checksum, before anything is restored.
 */
export async function readVerifiedManifest(directory: string, key: string | undefined, trustUnsigned: boolean): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(directory, manifestFileName), 'utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupManifestError(`${join(directory, manifestFileName)} cannot be read (${(error as Error).message}); is ${directory} a backup made by "lift backup"?`, { cause: error });
  }
  if (!trustUnsigned) verifyManifestSignature(manifest, key);
  const problem = manifestProblem(manifest);
  if (problem !== undefined) throw new BackupManifestError(`${join(directory, manifestFileName)} is not a manifest of "lift backup": ${problem}; nothing was restored`);
  if (manifest.format !== backupFormat) throw new BackupManifestError(`${directory} is format ${JSON.stringify(manifest.format)}; this lift restores ${backupFormat}`);
  const names = manifest.files.map((file) => file.name);
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0) throw new BackupManifestError(`the manifest lists ${[...new Set(twice)].join(', ')} more than once; nothing was restored`);
  for (const file of manifest.files) {
    const actual = checksumOf(join(directory, file.name));
    if (actual !== file.sha256) throw new BackupManifestError(`${file.name} does not match its checksum in the manifest: the backup is damaged`);
  }
  return manifest;
}
