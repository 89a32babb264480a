import { appendFileSync, chmodSync } from 'node:fs';

/**
 * Appends generated secrets to `.env.local` and leaves the file readable by its owner only. A new
 * file is created 0600; an existing one — often copied from `.env.example` and so 0644 — is made
 * 0600 as well, since from now on it holds secrets.
 */
export function appendSecretsToEnvFile(envFile: string, text: string): void {
  appendFileSync(envFile, text, { mode: 0o600 });
  chmodSync(envFile, 0o600);
}
