import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The settings the services of this home would read: the environment over `.env.local`. */
export function installationSettings(home: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return { ...envFileSettings(home), ...env };
}

/** `.env.local` of the home alone (empty when there is none). */
export function envFileSettings(home: string): Record<string, string | undefined> {
  const file = join(home, '.env.local');
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}
