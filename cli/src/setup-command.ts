import { copyFileSync, chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackupKey, ensureDevelopmentAdmin } from './development-admin.js';
import { privateDirectoryMode } from './run-files.js';

export interface SetupOutcome {
  /** Whether .env.local was made from .env.example by this run (an existing one is never touched). */
  readonly envFileCreated: boolean;
  readonly envFile: string;
  /** The first platform admin's email, when this is a development installation. */
  readonly adminEmail?: string;
}

/**
 * What a fresh development installation needs before its first start: `.env.local` copied from
 * `.env.example` (never over an existing one), private from the start since it is about to hold
 * secrets; the first platform admin and the services' client secrets generated into it, by the
 * same code `lift up` runs; and a private `data/`.
 */
export function prepareDevelopmentHome(root: string, home: string, env: NodeJS.ProcessEnv): SetupOutcome {
  const envFile = join(home, '.env.local');
  let envFileCreated = false;
  if (!existsSync(envFile)) {
    // COPYFILE_EXCL: a file written meanwhile by someone else is theirs; we fail rather than overwrite.
    copyFileSync(join(root, '.env.example'), envFile, constants.COPYFILE_EXCL);
    chmodSync(envFile, 0o600);
    envFileCreated = true;
  }
  mkdirSync(join(home, 'data'), { recursive: true, mode: privateDirectoryMode });
  // Production too: backups are signed there as well (the admin and client secrets are the operator's).
  ensureBackupKey(home, env);
  const admin = ensureDevelopmentAdmin(home, env);
  return { envFileCreated, envFile, ...(admin ? { adminEmail: admin.email } : {}) };
}

/** `lift setup`: prepares LIFT_HOME (or the repository) for `lift up`; safe to run again. */
export function setupCommand(root: string, home: string): number {
  const outcome = prepareDevelopmentHome(root, home, process.env);
  const say = (line: string): void => void process.stdout.write(`lift: ${line}\n`);
  say(outcome.envFileCreated ? `created ${outcome.envFile} from .env.example (mode 0600)` : `kept the existing ${outcome.envFile}`);
  // An existing file is the user's: named and explained, as the services do at every start, not changed.
  const mode = statSync(outcome.envFile).mode & 0o777;
  if ((mode & 0o077) !== 0) say(`warning: ${outcome.envFile} holds secrets but other users may open it (mode 0${mode.toString(8)}); make it private with: chmod 600 ${outcome.envFile}`);
  say(`data directory: ${join(home, 'data')}`);
  if (outcome.adminEmail) say(`platform admin: ${outcome.adminEmail} (its password is LIFT_ADMIN_PASSWORD in ${outcome.envFile})`);
  else say('NODE_ENV is production: no development admin or client secrets were generated (only LIFT_BACKUP_KEY, when missing); set LIFT_ADMIN_EMAIL, LIFT_ADMIN_PASSWORD and SERVICE_CLIENT_SECRETS yourself');
  return 0;
}
