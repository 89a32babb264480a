import { InvalidInputError, isUniqueViolation, NotFoundError, nowIso } from '@lift/kit';
import { periodContaining, type Period } from './billing-period.js';
import { type BillingDomain } from './billing-domain.js';
import { billingErrorCodes } from './errors.js';
import { organisationExists } from './organisation-check.js';
import { invoiceEndedPeriodsOf, invoiceUntilNow } from './invoicing.js';
import { getPlan, type PlanView } from './plans.js';
import type { SubscriptionRow } from './store/index.js';

export interface SubscriptionView {
  readonly organisationId: string;
  readonly planId: string;
  readonly status: 'trialing' | 'active';
  readonly currentPeriod: { readonly start: string; readonly end: string };
  readonly trialEndsAt: string | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly pendingPlanId: string | null;
}

/** Where every organisation starts, and where a cancelled subscription goes at its period end. */
export const freePlanId = 'free';

/**
 * An organisation's subscription, created on the free plan the first time billing hears of it (a
 * new organisation starts on free) — if auth knows the organisation: billing keeps no subscription
 * for one that does not exist. `anchor` fixes its periods; see billing-period.ts.
 */
export async function subscriptionOf(domain: BillingDomain, organisationId: string, anchor = new Date(domain.clock.now())): Promise<SubscriptionRow> {
  const existing = await domain.store.subscriptions.of(organisationId);
  if (existing) return applyDueChanges(domain, existing);
  if (!(await organisationExists(domain, organisationId))) {
    throw new NotFoundError(billingErrorCodes.subscriptionNotFound, `No organisation "${organisationId}": auth does not know it.`, { extensions: { organisationId } });
  }
  const at = nowIso(domain.clock);
  const row: SubscriptionRow = { organisation_id: organisationId, plan_id: freePlanId, anchor: anchor.toISOString(), trial_ends_at: null, cancel_at_period_end: 0, pending_plan_id: null, created_at: at, updated_at: at };
  try {
    await domain.store.subscriptions.insert(row);
  } catch (error) {
    // Two requests meeting a new organisation at once: one creates, the other reads.
    if (!isUniqueViolation(error)) throw error;
    const created = await domain.store.subscriptions.of(organisationId);
    if (!created) throw new Error(`the subscription of ${organisationId} conflicted on insert but cannot be read`);
    return created;
  }
  return row;
}

/** A plan change scheduled for the period end, or a cancellation, takes effect once the period is over. */
async function applyDueChanges(domain: BillingDomain, row: SubscriptionRow): Promise<SubscriptionRow> {
  if (row.pending_plan_id === null && row.cancel_at_period_end === 0) return row;
  const plan = await getPlan(domain, row.plan_id);
  // Due once a period boundary lies between the scheduling and now.
  const { start } = periodContaining(new Date(row.anchor), plan.interval, new Date(domain.clock.now()));
  if (start <= new Date(row.updated_at)) return row;
  // The periods under the old terms are invoiced before the anchor moves past them.
  await invoiceEndedPeriodsOf(domain, row);
  const next = { ...row, plan_id: row.cancel_at_period_end ? freePlanId : (row.pending_plan_id ?? row.plan_id), anchor: start.toISOString(), pending_plan_id: null, cancel_at_period_end: 0, updated_at: nowIso(domain.clock) };
  await domain.store.subscriptions.update(row.organisation_id, next);
  return next;
}

export async function currentPeriod(domain: BillingDomain, row: SubscriptionRow, plan?: PlanView): Promise<Period> {
  const terms = plan ?? (await getPlan(domain, row.plan_id));
  return periodContaining(new Date(row.anchor), terms.interval, new Date(domain.clock.now()));
}

export async function subscriptionView(domain: BillingDomain, organisationId: string): Promise<SubscriptionView> {
  const row = await subscriptionOf(domain, organisationId);
  const period = await currentPeriod(domain, row);
  const trialing = row.trial_ends_at !== null && Date.parse(row.trial_ends_at) > domain.clock.now();
  return {
    organisationId,
    planId: row.plan_id,
    status: trialing ? 'trialing' : 'active',
    currentPeriod: { start: period.start.toISOString(), end: period.end.toISOString() },
    trialEndsAt: row.trial_ends_at,
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    pendingPlanId: row.pending_plan_id,
  };
}

/**
 * Changes the plan now (a new period starts today, with the plan's trial if it is the first paid
 * one) or at the end of the current period; or cancels at period end (back to free).
 */
export async function changeSubscription(domain: BillingDomain, organisationId: string, change: { planId?: string; effective?: 'now' | 'period_end'; cancelAtPeriodEnd?: boolean }): Promise<SubscriptionView> {
  const row = await subscriptionOf(domain, organisationId);
  const at = nowIso(domain.clock);
  if (change.planId !== undefined) {
    const plan = await getPlan(domain, change.planId).catch(() => {
      throw new InvalidInputError(billingErrorCodes.planNotFound, `No plan "${change.planId}".`, { field: 'body.planId' });
    });
    if (plan.archived) throw new InvalidInputError(billingErrorCodes.planNotFound, `The plan "${plan.id}" takes no new subscriptions.`, { field: 'body.planId' });
    if ((change.effective ?? 'now') === 'now') {
      // The time used on the old plan is invoiced (prorated) before the new period starts.
      await invoiceUntilNow(domain, row);
      const trialEndsAt = plan.trialDays > 0 && row.trial_ends_at === null && plan.basePriceCents > 0 ? new Date(domain.clock.now() + plan.trialDays * 86_400_000).toISOString() : row.trial_ends_at;
      await domain.store.subscriptions.update(organisationId, { plan_id: plan.id, anchor: at, trial_ends_at: trialEndsAt, pending_plan_id: null, cancel_at_period_end: 0, updated_at: at });
    } else {
      await domain.store.subscriptions.update(organisationId, { pending_plan_id: plan.id, updated_at: at });
    }
  }
  if (change.cancelAtPeriodEnd !== undefined) {
    await domain.store.subscriptions.update(organisationId, { cancel_at_period_end: change.cancelAtPeriodEnd ? 1 : 0, updated_at: at });
  }
  return subscriptionView(domain, organisationId);
}
