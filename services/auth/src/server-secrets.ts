import { randomBytes } from 'node:crypto';
import { isUniqueViolation, nowIso, type Clock } from '@lift/kit';
import type { AuthStore } from './store/index.js';

/**
 * A random secret made once per installation and shared by every replica through the database
 * (the first replica to start creates it; the others read it).
 */
export async function serverSecret(store: Pick<AuthStore, 'serverSecrets'>, clock: Clock, name: string): Promise<Buffer> {
  const existing = await store.serverSecrets.value(name);
  if (existing !== undefined) return Buffer.from(existing, 'base64url');
  try {
    await store.serverSecrets.insert({ name, value: randomBytes(32).toString('base64url'), created_at: nowIso(clock) });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const stored = await store.serverSecrets.value(name);
  if (stored === undefined) throw new Error(`server secret ${name} conflicted on insert but cannot be read`);
  return Buffer.from(stored, 'base64url');
}
