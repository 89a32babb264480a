import { randomUUID } from 'node:crypto';
import { ConflictError, isUniqueViolation, NotFoundError, nowIso } from '@lift/kit';
import { periodContaining, type Period } from './billing-period.js';
import { type BillingDomain } from './billing-domain.js';
import { invoiceFor, type InvoiceLine } from './invoice-preview.js';
import { getPlan, type PlanView } from './plans.js';
import { pushInvoiceToStripe } from './stripe-invoice-push.js';
import type { InvoiceRow, InvoiceStatus, SubscriptionRow } from './store/index.js';

const transitions: Record<'finalize' | 'pay' | 'void', { from: InvoiceStatus[]; to: InvoiceStatus }> = {
  finalize: { from: ['draft'], to: 'open' },
  pay: { from: ['open'], to: 'paid' },
  void: { from: ['draft', 'open'], to: 'void' },
};

function view(row: InvoiceRow) {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    number: row.number === null ? null : Number(row.number),
    planId: row.plan_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    currency: row.currency,
    lines: JSON.parse(row.lines) as InvoiceLine[],
    subtotalCents: Number(row.subtotal_cents),
    totalCents: Number(row.total_cents),
    status: row.status,
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    paidAt: row.paid_at,
    voidedAt: row.voided_at,
    stripeInvoiceId: row.stripe_invoice_id ?? null,
  };
}

export type InvoiceView = ReturnType<typeof view>;

/**
 * Drafts the invoice of every period that has ended since a subscription's anchor and has none
 * yet (at most the last 24, for a subscription nobody looked at for years). Idempotent: the
 * (organisation, period) pair is unique, so replicas running it together make one invoice each.
 */
export async function invoiceEndedPeriods(domain: BillingDomain): Promise<number> {
  const subscriptions = await domain.store.subscriptions.all();
  let drafted = 0;
  for (const subscription of subscriptions) drafted += await invoiceEndedPeriodsOf(domain, subscription);
  return drafted;
}

/** The ended periods of one subscription under its current terms; see invoiceEndedPeriods. */
export async function invoiceEndedPeriodsOf(domain: BillingDomain, subscription: SubscriptionRow): Promise<number> {
  const plan = await getPlan(domain, subscription.plan_id);
  const anchor = new Date(subscription.anchor);
  const current = periodContaining(anchor, plan.interval, new Date(domain.clock.now()));
  const ended: Period[] = [];
  let start = current.start;
  while (start > anchor && ended.length < 24) {
    const previous = periodContaining(anchor, plan.interval, new Date(start.getTime() - 1));
    ended.push(previous);
    start = previous.start;
  }
  let drafted = 0;
  for (const period of ended) if (await draftInvoice(domain, subscription, plan, period)) drafted += 1;
  return drafted;
}

/**
 * Before a subscription's terms change mid-period (a plan change "now"): the ended periods, and
 * the part of the current one used so far on the old plan, with its base fee prorated to the
 * millisecond (Stripe's and Lago's default), so a change never makes used time free.
 */
export async function invoiceUntilNow(domain: BillingDomain, subscription: SubscriptionRow): Promise<void> {
  await invoiceEndedPeriodsOf(domain, subscription);
  const plan = await getPlan(domain, subscription.plan_id);
  const now = new Date(domain.clock.now());
  const current = periodContaining(new Date(subscription.anchor), plan.interval, now);
  if (now > current.start) await draftInvoice(domain, subscription, plan, { start: current.start, end: now }, current);
}

/** One draft invoice for the period, unless it has one. `fullPeriod` is given when `period` is only its used part. */
async function draftInvoice(domain: BillingDomain, subscription: SubscriptionRow, plan: PlanView, period: Period, fullPeriod?: Period): Promise<boolean> {
  if (await domain.store.invoices.existsForPeriod(subscription.organisation_id, period.start.toISOString())) return false;
  const draft = await invoiceFor(domain, subscription.organisation_id, plan, period, subscription.trial_ends_at, fullPeriod);
  try {
    await domain.store.invoices.insert({
      id: randomUUID(),
      organisation_id: subscription.organisation_id,
      number: null,
      plan_id: plan.id,
      period_start: draft.periodStart,
      period_end: draft.periodEnd,
      currency: draft.currency,
      lines: JSON.stringify(draft.lines),
      subtotal_cents: draft.subtotalCents,
      total_cents: draft.totalCents,
      status: 'draft',
      created_at: nowIso(domain.clock),
      finalized_at: null,
      paid_at: null,
      voided_at: null,
    });
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return false;
  }
}

export async function listInvoices(domain: BillingDomain, organisationId: string): Promise<InvoiceView[]> {
  const rows = await domain.store.invoices.of(organisationId);
  return rows.map(view);
}

export async function getInvoice(domain: BillingDomain, organisationId: string, id: string): Promise<InvoiceView> {
  const row = await domain.store.invoices.byId(organisationId, id);
  if (!row) throw new NotFoundError('BILLING_INVOICE_NOT_FOUND', 'No such invoice for this organisation.');
  return view(row);
}

/**
 * draft → open (finalize: the invoice gets the next number), open → paid, draft|open → void.
 * Numbers come from one counter incremented in the finalizing transaction, so they have no gaps
 * and no duplicates however many replicas finalize at once; a voided open invoice keeps its number.
 */
export async function transitionInvoice(domain: BillingDomain, organisationId: string, id: string, action: keyof typeof transitions): Promise<InvoiceView> {
  const { from, to } = transitions[action];
  const at = nowIso(domain.clock);
  await domain.store.transaction(async (queries) => {
    // The move takes the row's lock first: a concurrent transition of the same invoice waits,
    // then finds the state changed — so a number is never drawn twice.
    const moved = await queries.invoices.moveStatus({ organisationId, id }, from, { status: to, ...(action === 'pay' ? { paid_at: at } : {}), ...(action === 'void' ? { voided_at: at } : {}) });
    if (!moved) {
      const status = await queries.invoices.statusOf(organisationId, id);
      if (status === undefined) throw new NotFoundError('BILLING_INVOICE_NOT_FOUND', 'No such invoice for this organisation.');
      throw new ConflictError('BILLING_INVOICE_STATE', `A ${status} invoice cannot be ${action === 'pay' ? 'paid' : action === 'void' ? 'voided' : 'finalized'}.`, { extensions: { invoiceStatus: status } });
    }
    if (action === 'finalize') await queries.invoices.assignNextNumber(id, at);
  });
  return getInvoice(domain, organisationId, id);
}


/**
 * Pushes open invoices to Stripe (when configured) that are not there yet: right after each
 * finalize, and again on the invoicing timer for those whose push failed (Stripe down).
 */
export async function pushOpenInvoices(domain: BillingDomain, only?: string): Promise<void> {
  const stripe = await domain.stripe;
  if (!stripe) return;
  for (const id of await domain.store.stripe.openInvoicesNotInStripe(only)) {
    try {
      await pushInvoiceToStripe(domain, stripe, id);
    } catch (error) {
      domain.log.warn({ err: error, invoiceId: id }, 'pushing an invoice to Stripe failed; it is retried');
    }
  }
}
