import type { Kysely } from 'kysely';
import { transactionalStore, type Clock, type TransactionalStore } from '@lift/kit';
import type { AuthTables } from '../tables.js';
import { accountRequestsStore } from './account-requests-store.js';
import { accountTokensStore } from './account-tokens-store.js';
import { apiKeysStore } from './api-keys-store.js';
import { auditStore } from './audit-store.js';
import { invitationsStore } from './invitations-store.js';
import { mailOutboxStore } from './mail-outbox-store.js';
import { organisationsStore } from './organisations-store.js';
import { pendingRegistrationsStore } from './pending-registrations-store.js';
import { refreshTokensStore } from './refresh-tokens-store.js';
import { serverSecretsStore } from './server-secrets-store.js';
import { signingKeysStore } from './signing-keys-store.js';
import { usersStore } from './users-store.js';

function authQueries(db: Kysely<AuthTables>, clock: Clock) {
  return {
    users: usersStore(db),
    organisations: organisationsStore(db),
    audit: auditStore(db, clock),
    refreshTokens: refreshTokensStore(db),
    apiKeys: apiKeysStore(db),
    signingKeys: signingKeysStore(db),
    serverSecrets: serverSecretsStore(db),
    mailOutbox: mailOutboxStore(db),
    accountTokens: accountTokensStore(db),
    invitations: invitationsStore(db),
    accountRequests: accountRequestsStore(db),
    pendingRegistrations: pendingRegistrationsStore(db),
  };
}

export type AuthQueries = ReturnType<typeof authQueries>;
/**
 * Auth's one storage seam: every query, per table family, and `transaction` to run several
 * atomically — a change and its audit event are written together or not at all.
 */
export type AuthStore = TransactionalStore<AuthQueries>;

export function authStore(db: Kysely<AuthTables>, clock: Clock): AuthStore {
  return transactionalStore(db, (connection) => authQueries(connection, clock));
}
