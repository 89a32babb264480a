import { nowIso, retryDelayMs } from '@lift/kit';
import { accountRequestOf, type AccountRequest } from './account-requests.js';
import type { AuthDomain } from './auth-domain.js';
import { workPasswordResetRequest } from './password-reset.js';
import { workRegistrationRequest } from './registration.js';
import type { AuthQueries } from './store/index.js';

function workOne(domain: AuthDomain, queries: AuthQueries, request: AccountRequest): Promise<void> {
  switch (request.kind) {
    case 'registration':
      return workRegistrationRequest(domain, queries, request);
    case 'password-reset':
      return workPasswordResetRequest(domain, queries, request);
  }
}

// A request fails only on a database error; after a few rounds it is given up (the person asks
// again) rather than retried forever.
const maxAttempts = 5;

/**
 * One round: works the due account requests, each in one transaction with what it causes (a
 * pending registration, a token, the message carrying it), so a crash either keeps the request
 * for the next round or commits all of it. Answers how many were worked.
 */
export async function workAccountRequests(domain: AuthDomain): Promise<number> {
  const due = await domain.store.accountRequests.due(nowIso(domain.clock), 20);
  let worked = 0;
  for (const row of due) {
    try {
      const claimed = await domain.store.transaction(async (queries) => {
        if (!(await queries.accountRequests.claim(row.id))) return false;
        await workOne(domain, queries, accountRequestOf(row));
        return true;
      });
      if (claimed) worked += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      if (attempts >= maxAttempts) {
        await domain.store.accountRequests.remove(row.id);
        domain.log.error({ err: error, request: row.id, kind: row.kind, attempts }, 'account request given up');
      } else {
        await domain.store.accountRequests.postpone(row.id, attempts, new Date(domain.clock.now() + retryDelayMs(attempts, 5_000, 300_000)).toISOString());
        domain.log.warn({ err: error, request: row.id, kind: row.kind, attempts }, 'working an account request failed; it is retried');
      }
    }
  }
  if (worked > 0) domain.mail.wake();
  return worked;
}
