import type { ServiceMigrations } from '@lift/kit';
import { billingMigration } from './0001-billing.js';
import { invoicesMigration } from './0002-invoices.js';
import { stripeEventsMigration } from './0003-stripe-events.js';
import { stripeIdsMigration } from './0004-stripe-ids.js';
import { stripeSubscriptionsMigration } from './0005-stripe-subscriptions.js';
import { usageDeadLettersMigration } from './0006-usage-dead-letters.js';
import { usageIdempotencyPerOrganisationMigration } from './0007-usage-idempotency-per-organisation.js';

/** The billing service's tables, oldest first. Never edit a migration that has shipped; add one. */
export const billingMigrations: ServiceMigrations = {
  '0001_billing': billingMigration,
  '0002_invoices': invoicesMigration,
  '0003_stripe_events': stripeEventsMigration,
  '0004_stripe_ids': stripeIdsMigration,
  '0005_stripe_subscriptions': stripeSubscriptionsMigration,
  '0006_usage_dead_letters': usageDeadLettersMigration,
  '0007_usage_idempotency_per_organisation': usageIdempotencyPerOrganisationMigration,
};
