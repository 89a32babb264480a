import type { BillingDomain } from './billing-domain.js';

/** Auth creates the platform organisation with this fixed id at its first start. */
const platformOrganisationId = 'platform';

// Parallel questions to auth, at most.
const parallelLookups = 8;

/** Whether auth knows the organisation (asked only for one billing has no subscription for). */
export async function organisationExists(domain: BillingDomain, organisationId: string): Promise<boolean> {
  return organisationId === platformOrganisationId || domain.organisations.exists(organisationId);
}

/**
 * Among `organisationIds`, those billing has never met (no subscription) that auth does not know
 * either. Organisations with a subscription are not asked about again.
 */
export async function unknownOrganisations(domain: BillingDomain, organisationIds: readonly string[]): Promise<Set<string>> {
  const distinct = [...new Set(organisationIds)];
  const subscribed = await domain.store.subscriptions.subscribedAmong(distinct);
  const unseen = distinct.filter((id) => !subscribed.has(id));
  const unknown = new Set<string>();
  for (let start = 0; start < unseen.length; start += parallelLookups) {
    const slice = unseen.slice(start, start + parallelLookups);
    const answers = await Promise.all(slice.map((id) => organisationExists(domain, id)));
    slice.forEach((id, index) => {
      if (!answers[index]) unknown.add(id);
    });
  }
  return unknown;
}
