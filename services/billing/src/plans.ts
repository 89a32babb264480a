import { ConflictError, isUniqueViolation, NotFoundError, nowIso } from '@lift/kit';
import { type BillingDomain } from './billing-domain.js';
import { defaultPlans } from './default-plans.js';
import { billingErrorCodes } from './errors.js';
import type { Plan } from './plan-schema.js';

export interface PlanView extends Plan {
  readonly archived: boolean;
}

/** Seeds the default plans once; existing plans (an operator's edits) are left alone. */
export async function seedDefaultPlans(domain: BillingDomain): Promise<void> {
  const at = nowIso(domain.clock);
  for (const plan of defaultPlans) {
    await domain.store.plans.insertUnlessExists({ id: plan.id, definition: JSON.stringify(plan), archived: 0, created_at: at, updated_at: at });
  }
}

export async function listPlans(domain: BillingDomain, includeArchived: boolean): Promise<PlanView[]> {
  return (await domain.store.plans.all({ includeArchived })).map((row) => ({ ...(JSON.parse(row.definition) as Plan), archived: row.archived === 1 }));
}

export async function getPlan(domain: BillingDomain, id: string): Promise<PlanView> {
  const row = await domain.store.plans.byId(id);
  if (!row) throw new NotFoundError(billingErrorCodes.planNotFound, `No plan "${id}".`, { extensions: { planId: id } });
  return { ...(JSON.parse(row.definition) as Plan), archived: row.archived === 1 };
}

export async function createPlan(domain: BillingDomain, plan: Plan): Promise<PlanView> {
  const at = nowIso(domain.clock);
  try {
    await domain.store.plans.insert({ id: plan.id, definition: JSON.stringify(plan), archived: 0, created_at: at, updated_at: at });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(billingErrorCodes.planExists, `A plan "${plan.id}" exists; change it with PUT /v1/plans/${plan.id}.`, { extensions: { field: 'body.id' } });
    throw error;
  }
  return { ...plan, archived: false };
}

/** Replaces a plan's terms; subscriptions on it are billed on the new terms from the next invoice. */
export async function updatePlan(domain: BillingDomain, id: string, plan: Plan): Promise<PlanView> {
  const current = await getPlan(domain, id);
  await domain.store.plans.updateDefinition(id, JSON.stringify({ ...plan, id }), nowIso(domain.clock));
  return { ...plan, id, archived: current.archived };
}

/** Archived plans take no new subscriptions; existing ones stay on them. */
export async function archivePlan(domain: BillingDomain, id: string): Promise<void> {
  await getPlan(domain, id);
  await domain.store.plans.archive(id, nowIso(domain.clock));
}
