import type Stripe from 'stripe';
import { ForbiddenError, NotFoundError, type Clock, type Identity, type Logger } from '@lift/kit';
import type { BillingConfig } from './config.js';
import { billingErrorCodes } from './errors.js';
import type { OrganisationDirectory } from './organisation-directory.js';
import type { BillingStore } from './store/index.js';

export interface BillingDomain {
  readonly config: BillingConfig;
  /** Every query billing makes goes through it. */
  readonly store: BillingStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** The Stripe SDK when STRIPE_API_KEY is set. */
  readonly stripe: Promise<Stripe | undefined>;
  /** Asked before billing meets an organisation for the first time. */
  readonly organisations: OrganisationDirectory;
}

/**
 * Platform staff (billing:admin in the platform organisation) and the platform services that meter
 * usage (a `svc:` subject holding billing:usage: the gateway and memory, which read entitlements
 * and deliver usage events for every organisation) act for every organisation; anyone else only
 * for the organisation their token acts for. Being a platform service is not enough: the
 * monitoring engines' and the log shipper's clients are `svc:` subjects too, and have no business
 * with a tenant's plan and usage.
 */
export function actsForAnyOrganisation(identity: Identity): boolean {
  if (identity.organisation !== 'platform') return false;
  if (identity.permissions.includes('billing:admin')) return true;
  return identity.subject.startsWith('svc:') && identity.permissions.includes('billing:usage');
}

/** Another tenant's billing data is answered 404, so organisation ids cannot be probed. */
export function assertMayActFor(identity: Identity, organisationId: string): void {
  if (identity.organisation !== organisationId && !actsForAnyOrganisation(identity)) {
    throw new NotFoundError(billingErrorCodes.subscriptionNotFound, 'No billing data for that organisation among those your token acts for.');
  }
}

export function requireAdmin(identity: Identity): void {
  if (!(identity.organisation === 'platform' && identity.permissions.includes('billing:admin'))) {
    throw new ForbiddenError('AUTH_PERMISSION_MISSING', 'Plans are managed by the platform: this needs billing:admin in the platform organisation.', { extensions: { permission: 'billing:admin' } });
  }
}
