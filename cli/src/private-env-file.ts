import { appendFileSync, chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Appends generated secrets to `.env.local` and leaves the file readable by its owner only. A new
 * file is created 0600; an existing one — often copied from `.env.example` and so 0644 — is made
 * 0600 as well, since from now on it holds secrets.
 */
export function appendSecretsToEnvFile(envFile: string, text: string): void {
  appendFileSync(envFile, text, { mode: 0o600 });
  chmodSync(envFile, 0o600);
}

/**
 * Replaces the last `NAME=…` line of `.env.local` (the one a dotenv parser reads) with
 * `NAME=value`, keeping every other line as it is. The new content is written to a private
 * temporary file beside it and renamed over it, so a crash leaves the old file or the new one,
 * never half of one, and the secrets are never readable by others on the way.
 * Returns false when the file has no such line.
 */
export function replaceEnvFileLine(envFile: string, name: string, value: string): boolean {
  // A symlinked .env.local stays a symlink: the file it points to is the one rewritten.
  const target = realpathSync(envFile);
  const lines = readFileSync(target, 'utf8').split('\n');
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`);
  let index = -1;
  lines.forEach((line, at) => {
    if (pattern.test(line)) index = at;
  });
  if (index < 0) return false;
  // A value outside this alphabet is quoted, so '#' or spaces in a secret never cut it short.
  lines[index] = `${name}=${/^[A-Za-z0-9_:,.+/=-]*$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`}`;
  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, lines.join('\n'));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, target);
  chmodSync(target, 0o600);
  return true;
}
