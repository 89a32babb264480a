import type { ServiceMigrations } from '@lift/kit';
import { identityMigration } from './0001-identity.js';
import { credentialsMigration } from './0002-credentials.js';
import { auditMigration } from './0003-audit.js';
import { accountOriginMigration } from './0004-account-origin.js';
import { signingKeyScheduleMigration } from './0005-signing-key-schedule.js';
import { mailOutboxMigration } from './0006-mail-outbox.js';
import { accountTokensMigration } from './0007-account-tokens.js';
import { invitationsMigration } from './0008-invitations.js';
import { accountRequestsMigration } from './0009-account-requests.js';
import { membershipIdentityMigration } from './0010-membership-identity.js';

/** The auth service's tables, oldest first. Never edit a migration that has shipped; add one. */
export const authMigrations: ServiceMigrations = {
  '0001_identity': identityMigration,
  '0002_credentials': credentialsMigration,
  '0003_audit': auditMigration,
  '0004_account_origin': accountOriginMigration,
  '0005_signing_key_schedule': signingKeyScheduleMigration,
  '0006_mail_outbox': mailOutboxMigration,
  '0007_account_tokens': accountTokensMigration,
  '0008_invitations': invitationsMigration,
  '0009_account_requests': accountRequestsMigration,
  '0010_membership_identity': membershipIdentityMigration,
};
