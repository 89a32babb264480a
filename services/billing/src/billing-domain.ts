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
 * Platform staff (billing:admin in the platform organisation) and the platform's own services act
 * for every organisation; anyone else only for the organisation their token acts for.
 */
export function actsForAnyOrganisation(identity: Identity): boolean {
  if (identity.organisation !== 'platform') return false;
  return identity.subject.startsWith('svc:') || identity.permissions.includes('billing:admin');
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
