import type { Clock, Logger } from '@lift/kit';
import type { ApiKeys } from './api-keys.js';
import type { BackgroundRounds } from './background-rounds.js';
import type { AuthConfig } from './config.js';
import type { LoginThrottle } from './login-throttle.js';
import type { MailSender } from './mail/mail-sender.js';
import type { MailSendLimit } from './mail-send-limit.js';
import type { ModuleGrants } from './module-grants.js';
import type { PasswordHashing } from './passwords.js';
import type { RefreshTokens } from './refresh-tokens.js';
import type { RevocationEvents } from './revocation-events.js';
import type { AuthStore } from './store/index.js';
import type { TokenIssuer } from './token-issuer.js';

/** What the auth service's operations work with, built once in `buildApp`. */
export interface AuthDomain {
  readonly config: AuthConfig;
  /** Every query auth makes goes through it; `store.transaction` writes a change and its audit event together. */
  readonly store: AuthStore;
  readonly clock: Clock;
  /** Messages to people: queued with the change that causes them, sent off the request path. */
  readonly mail: MailSender;
  /** Works registrations and reset requests off the request path (`wake` after queueing one). */
  readonly accountRequests: Pick<BackgroundRounds, 'wake'>;
  /** Account mails per recipient and per client, so nobody floods an inbox through us. */
  readonly mailLimit: MailSendLimit;
  readonly log: Logger;
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
