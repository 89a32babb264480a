import type { Kysely } from 'kysely';
import type { Clock } from '@lift/kit';
import type { ApiKeys } from './api-keys.js';
import type { AuthConfig } from './config.js';
import type { LoginThrottle } from './login-throttle.js';
import type { ModuleGrants } from './module-grants.js';
import type { PasswordHashing } from './passwords.js';
import type { RefreshTokens } from './refresh-tokens.js';
import type { RevocationEvents } from './revocation-events.js';
import type { AuditStore } from './store/audit-store.js';
import type { OrganisationsStore } from './store/organisations-store.js';
import type { UsersStore } from './store/users-store.js';
import type { TokenIssuer } from './token-issuer.js';
import type { AuthTables } from './tables.js';

/** What the auth service's operations work with, built once in `buildApp`. */
export interface AuthDomain {
  readonly config: AuthConfig;
  readonly db: Kysely<AuthTables>;
  readonly clock: Clock;
  readonly users: UsersStore;
  readonly organisations: OrganisationsStore;
  readonly audit: AuditStore;
  readonly refreshTokens: RefreshTokens;
  readonly apiKeys: ApiKeys;
  readonly throttle: LoginThrottle;
  readonly issuer: TokenIssuer;
  readonly moduleGrants: ModuleGrants;
  /** Tells the gateway at once when an API key stops working. */
  readonly revocations: RevocationEvents;
  readonly passwordHashing: PasswordHashing;
  /** A hash of a random password, verified when an account does not exist so timing matches. */
  readonly decoyPasswordHash: Promise<string>;
}

/** Emails are compared trimmed and lower-cased: one account per mailbox as people type it. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
