import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The secret `lift backup` signs manifests with; it lives in the environment or .env.local, never in a backup. */
export const backupKeyVariable = 'LIFT_BACKUP_KEY';
const minimumKeyBytes = 32;
export const signatureAlgorithm = 'HMAC-SHA256';

export class BackupSignatureError extends Error {}

/** A new key, as `lift setup` and `lift up` write it into .env.local. */
export function generatedBackupKey(): string {
  return randomBytes(minimumKeyBytes).toString('base64url');
}

/** The configured key, or undefined when there is none; a key too short to be safe is an error, not "unsigned". */
export function usableBackupKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (Buffer.byteLength(key, 'utf8') < minimumKeyBytes) {
    throw new BackupSignatureError(`${backupKeyVariable} is ${Buffer.byteLength(key, 'utf8')} bytes; it must be at least ${minimumKeyBytes} (generate one: openssl rand -base64 32)`);
  }
  return key;
}

/** JSON with every object's keys sorted and no whitespace: the same manifest always signs the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The manifest's HMAC-SHA256 (hex) over its canonical form without the signature: every file's sha256 is inside. */
export function manifestSignature(manifest: Record<string, unknown>, key: string): string {
  const { signature: _ignored, ...signed } = manifest;
  return createHmac('sha256', key).update(canonicalJson(signed)).digest('hex');
}

/**
 * Checks a parsed manifest's signature before anything else of it is used; throws, naming why,
 * when it is missing or wrong, or when there is no key to check it with.
 */
export function verifyManifestSignature(manifest: unknown, key: string | undefined): void {
  const record = (manifest !== null && typeof manifest === 'object' ? manifest : {}) as Record<string, unknown>;
  const signature = record.signature as { algorithm?: unknown; value?: unknown } | undefined;
  const hint = 'pass --trust-unsigned only for a backup from before signing or from another installation whose key you do not have';
  if (signature === undefined || typeof signature !== 'object' || signature === null) {
    throw new BackupSignatureError(`the backup is unsigned (made without ${backupKeyVariable}, or before lift signed backups), so it could have been forged; ${hint}`);
  }
  if (key === undefined) throw new BackupSignatureError(`${backupKeyVariable} is not set, so the backup's signature cannot be checked; set it to the key the backup was made with, or ${hint}`);
  if (signature.algorithm !== signatureAlgorithm || typeof signature.value !== 'string') {
    throw new BackupSignatureError(`the backup's signature is not ${signatureAlgorithm}; ${hint}`);
  }
  const expected = Buffer.from(manifestSignature(record, key), 'hex');
  const actual = Buffer.from(signature.value, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new BackupSignatureError(`the backup's signature does not match ${backupKeyVariable}: it was changed after it was made, or made with another key; ${hint}`);
  }
}
