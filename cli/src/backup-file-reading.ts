import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readSync, writeSync, type Stats } from 'node:fs';

export class BackupFileError extends Error {}

/** What a path is, in words, when it is not a regular file. */
function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'no regular file';
}

/**
 * Opens a file of a backup for reading, refusing anything but a regular file: a symbolic link
 * (which could point at the live database, or /dev/zero), a named pipe (which would block the
 * reader for ever), a device. lstat names the kind; O_NOFOLLOW and O_NONBLOCK make the open itself
 * safe against a swap in between, and fstat checks what was opened — every later read goes
 * through this one descriptor.
 */
export function openBackupFile(file: string, label: string): number {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    throw new BackupFileError(`${label} is missing (${(error as Error).message})`, { cause: error });
  }
  if (!stats.isFile()) throw new BackupFileError(`${label} is ${kindOf(stats)}, not a regular file; a backup holds only regular files`);
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new BackupFileError(`${label} cannot be opened (${(error as Error).message})`, { cause: error });
  }
  const opened = fstatSync(descriptor);
  if (!opened.isFile()) {
    closeSync(descriptor);
    throw new BackupFileError(`${label} is ${kindOf(opened)}, not a regular file; a backup holds only regular files`);
  }
  return descriptor;
}

/** Reads an open file from its start to its end, handing each chunk to `sink`; its SHA-256. */
export function hashWhileReading(descriptor: number, sink: (chunk: Buffer) => void = () => undefined): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  for (;;) {
    const read = readSync(descriptor, buffer, 0, buffer.length, position);
    if (read === 0) break;
    const chunk = buffer.subarray(0, read);
    hash.update(chunk);
    sink(chunk);
    position += read;
  }
  return hash.digest('hex');
}

/**
 * Copies a backup file into `destination` (created new, 0600) from one descriptor, hashing what it
 * copies, and fsyncs the copy: the hash returned is of exactly the bytes the copy holds.
 */
export function copyBackupFile(file: string, label: string, destination: string): string {
  const source = openBackupFile(file, label);
  try {
    const target = openSync(destination, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      const digest = hashWhileReading(source, (chunk) => {
        for (let written = 0; written < chunk.length; ) written += writeSync(target, chunk, written);
      });
      fsyncSync(target);
      return digest;
    } finally {
      closeSync(target);
    }
  } finally {
    closeSync(source);
  }
}
