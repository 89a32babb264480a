import { randomUUID } from 'node:crypto';
import { nowIso } from '@lift/kit';
import type { AuthDomain } from './auth-domain.js';
import type { AccountRequestRow } from './store/account-requests-store.js';

/** What a registration asked for, kept until the worker decides what it becomes. */
export interface RegistrationDetails {
  readonly passwordHash: string;
  readonly displayName?: string | undefined;
  readonly organisationName?: string | undefined;
}

export type AccountRequest =
  | { readonly kind: 'registration'; readonly email: string; readonly ip: string; readonly registration: RegistrationDetails }
  | { readonly kind: 'password-reset'; readonly email: string; readonly ip: string };

/**
 * Writes the request and wakes the worker. The request path does only this, and the same for
 * every address: whether the address has an account is looked at later, by the worker, so no
 * answer — nor its timing — can tell (OWASP's account-enumeration guidance).
 */
export async function queueAccountRequest(domain: AuthDomain, request: AccountRequest): Promise<void> {
  const now = nowIso(domain.clock);
  await domain.store.accountRequests.insert({
    id: randomUUID(),
    kind: request.kind,
    email: request.email,
    ip: request.ip,
    payload: request.kind === 'registration' ? JSON.stringify(request.registration) : null,
    created_at: now,
    next_attempt_at: now,
  });
  domain.accountRequests.wake();
}

export function accountRequestOf(row: AccountRequestRow): AccountRequest {
  const { email, ip } = row;
  if (row.kind === 'registration') return { kind: 'registration', email, ip, registration: JSON.parse(row.payload ?? '{}') as RegistrationDetails };
  return { kind: 'password-reset', email, ip };
}
