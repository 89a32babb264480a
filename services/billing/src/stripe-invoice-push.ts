import type Stripe from 'stripe';
import type { BillingDomain } from './billing-domain.js';
import type { InvoiceLine } from './invoice-preview.js';
import { stripeCustomerFor } from './stripe-customers.js';

/**
 * Pushes a finalized (open) invoice to Stripe: for the organisation's customer, one invoice item
 * per line, then the invoice itself, finalized, carrying `liftInvoiceId` so Stripe's webhooks find
 * it again. Idempotency keys make a retried push create nothing twice.
 */
export async function pushInvoiceToStripe(domain: BillingDomain, stripe: Stripe, invoiceId: string): Promise<string | undefined> {
  const invoice = await domain.store.stripe.invoice(invoiceId);
  if (!invoice || invoice.status !== 'open' || invoice.stripe_invoice_id) return invoice?.stripe_invoice_id ?? undefined;
  const customerId = await stripeCustomerFor(domain, stripe, invoice.organisation_id);
  const lines = JSON.parse(invoice.lines) as InvoiceLine[];
  const draft = await stripe.invoices.create(
    { customer: customerId, currency: invoice.currency, collection_method: 'send_invoice', days_until_due: 30, auto_advance: false, metadata: { liftInvoiceId: invoice.id, liftInvoiceNumber: String(invoice.number) } },
    { idempotencyKey: `lift-invoice-${invoice.id}` },
  );
  for (const [index, line] of lines.entries()) {
    await stripe.invoiceItems.create({ customer: customerId, invoice: draft.id as string, currency: invoice.currency, amount: line.amountCents, description: line.description }, { idempotencyKey: `lift-invoice-${invoice.id}-line-${index}` });
  }
  const finalized = await stripe.invoices.finalizeInvoice(draft.id as string, {}, { idempotencyKey: `lift-invoice-${invoice.id}-finalize` });
  await domain.store.stripe.setInvoiceId(invoice.id, finalized.id as string);
  return finalized.id as string;
}
