import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Algorithm.Argon2id: the package exports a const enum, which isolated modules cannot read as a value.
const argon2id = 2 as Algorithm;

/**
 * argon2id at OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1). Stored hashes carry
 * their parameters; a login that finds weaker ones rehashes the password.
 */
export interface PasswordHashing {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const owaspPasswordHashing: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const maxPasswordLength = 256;

export function hashPassword(password: string, settings: PasswordHashing): Promise<string> {
  return hash(password, { algorithm: argon2id, ...settings });
}

export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash is weaker than the current settings (or not argon2id at all). */
export function needsRehash(storedHash: string, settings: PasswordHashing): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return true;
  const [, memory, time, parallelism] = match.map(Number) as [number, number, number, number];
  return memory < settings.memoryCost || time < settings.timeCost || parallelism !== settings.parallelism;
}

/**
 * What is wrong with a new password, or undefined. Length over composition rules (NIST SP
 * 800-63B); the schema already caps the length, so a megabyte never reaches the hash.
 */
export function passwordProblem(password: string, email: string, minLength: number): string | undefined {
  if ([...password].length < minLength) return `must be at least ${minLength} characters long`;
  const lowered = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (lowered === email.toLowerCase() || (local.length >= 4 && lowered.includes(local))) return 'must not contain your email address';
  if (new Set(password).size < 4) return 'must not be one character repeated';
  return undefined;
}
