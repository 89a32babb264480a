import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The process environment over the values of an env file (`.env.local` by default): a variable
 * set in the real environment always wins, as with docker compose and dotenv.
 * A missing file is not an error — production reads the environment only.
 */
export function environmentWithEnvFile(processEnv: Environment, envFilePath: string): Environment {
  if (!existsSync(envFilePath)) return processEnv;
  const fromFile = parseEnv(readFileSync(envFilePath, 'utf8'));
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}
