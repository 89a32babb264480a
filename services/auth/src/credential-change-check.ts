import { tokenRejected, type AccessTokenVerifier } from '@lift/kit';
import type { UsersStore } from './store/users-store.js';

/**
 * Auth's own verifiers refuse a person's access token issued before the second of the account's
 * last password reset. `iat` has whole seconds, so a token of the reset's own second cannot be
 * told from one issued just after it (the person signing in again at once); those are accepted —
 * a thief's token from the same second is the price of not refusing the owner's. Elsewhere such a token runs out by itself
 * within ACCESS_TOKEN_TTL_SECONDS; at auth it could make access outlast the reset — an API key,
 * an invitation, an organisation, a session by organisation switch — so it is refused here, on
 * every route. One primary-key read per person's token; service and API-key tokens skip it.
 */
export function credentialChangeCheck(users: Pick<UsersStore, 'credentials'>) {
  return {
    guard(verifier: AccessTokenVerifier): AccessTokenVerifier {
      return {
        async verify(token) {
          const identity = await verifier.verify(token);
          if (identity.subject.startsWith('svc:') || identity.subject.startsWith('apikey:')) return identity;
          const changedAt = (await users.credentials(identity.subject))?.credentials_changed_at;
          if (changedAt && identity.issuedAt < Math.floor(Date.parse(changedAt) / 1000)) throw tokenRejected('the password was reset after it was issued; log in again');
          return identity;
        },
      };
    },
  };
}
