import type { BillingDomain } from './billing-domain.js';
import { listPlans } from './plans.js';
import { mayNeedStripeSync, mirrorSubscriptionInStripe } from './stripe-subscription-mirror.js';

/** When the subscription mirror (stripe-subscription-mirror.ts) runs: after each change, and for every subscription on the invoicing timer. */
export interface StripeMirrorScheduler {
  /**
   * Mirrors the organisation's subscription in Stripe (nothing without STRIPE_API_KEY). Never
   * rejects: a failure is logged and `syncAll` tries again. Requests do not await it, so a change
   * stands whatever Stripe answers, and as fast.
   */
  sync(organisationId: string): Promise<void>;
  /** Every subscription Stripe may not know as it is now: the invoicing timer's retry. */
  syncAll(): Promise<void>;
  /** Resolves once no sync is running (shutdown, and `syncAll` before it looks). */
  settled(): Promise<void>;
}

/**
 * One sync per organisation at a time in this process: a change arriving during a sync runs
 * another once it is over, which reads the subscription afresh. Replicas syncing the same
 * organisation at once are kept apart by Stripe's idempotency keys.
 */
export function stripeMirrorScheduler(domain: BillingDomain): StripeMirrorScheduler {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const attempt = async (organisationId: string) => {
    try {
      const stripe = await domain.stripe;
      if (stripe) await mirrorSubscriptionInStripe(domain, stripe, organisationId);
    } catch (error) {
      domain.log.warn({ err: error, organisationId }, 'syncing a subscription to Stripe failed; the invoicing timer retries it');
    }
  };

  const sync = (organisationId: string): Promise<void> => {
    const current = running.get(organisationId);
    if (current) {
      again.add(organisationId);
      return current;
    }
    // `attempt` never rejects; leaving the map right after the last look leaves no gap for a change.
    const run = (async () => {
      do {
        again.delete(organisationId);
        await attempt(organisationId);
      } while (again.has(organisationId));
      running.delete(organisationId);
    })();
    running.set(organisationId, run);
    return run;
  };

  const settled = async () => {
    while (running.size > 0) await Promise.all(running.values());
  };

  return {
    sync,
    settled,
    async syncAll() {
      if (!(await domain.stripe)) return;
      await settled();
      const plans = new Map((await listPlans(domain, true)).map((plan) => [plan.id, plan]));
      const subscriptions = await domain.store.subscriptions.all();
      // One at a time: a backlog after an outage should not hit Stripe's rate limit all at once.
      for (const row of subscriptions) {
        if (mayNeedStripeSync(row, plans.get(row.plan_id))) await sync(row.organisation_id);
      }
    },
  };
}
