import type Stripe from 'stripe';
import { InvalidInputError, isUniqueViolation, nowIso } from '@lift/kit';
import { type BillingDomain } from './billing-domain.js';

const toleranceSeconds = 300;

export interface WebhookOutcome {
  readonly received: true;
  readonly duplicate: boolean;
  readonly applied: boolean;
}

function refused(reason: string): InvalidInputError {
  return new InvalidInputError('BILLING_STRIPE_SIGNATURE_INVALID', `The Stripe webhook was refused: ${reason}.`, { field: 'headers.stripe-signature' });
}

/**
 * A Stripe webhook: the Stripe-Signature header is checked over the raw body with the official SDK
 * (HMAC-SHA256, timestamp at most 5 minutes old) — and, which the SDK does not check, at most
 * 5 minutes ahead. Each event id is applied once: the id is recorded in the same transaction as
 * the event's effect, so two deliveries at the same time apply it once.
 */
export async function receiveStripeWebhook(domain: BillingDomain, stripe: Stripe, secret: string, rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
  if (!signature) throw refused('the Stripe-Signature header is missing');
  const timestamp = Number(/(?:^|,)t=(\d+)/.exec(signature)?.[1]);
  if (!Number.isFinite(timestamp)) throw refused('the Stripe-Signature header has no timestamp');
  if (timestamp * 1000 > domain.clock.now() + toleranceSeconds * 1000) throw refused('its timestamp is in the future');
  let event: Stripe.Event;
  try {
    // receivedAt is in milliseconds: the age is measured on the service's clock.
    event = stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds, undefined, domain.clock.now());
  } catch (error) {
    throw refused((error as Error).message.split('\n')[0]?.replace(/\.$/, '') ?? 'bad signature');
  }
  try {
    const applied = await domain.store.transaction(async (queries) => {
      await queries.stripe.recordEvent({ id: event.id, type: event.type, received_at: nowIso(domain.clock) });
      if (event.type !== 'invoice.paid' && event.type !== 'invoice.voided') return false;
      const liftInvoiceId = (event.data.object as { metadata?: Record<string, string> }).metadata?.liftInvoiceId;
      if (!liftInvoiceId) return false;
      const at = nowIso(domain.clock);
      return event.type === 'invoice.paid'
        ? queries.invoices.moveStatus({ id: liftInvoiceId }, ['open'], { status: 'paid', paid_at: at })
        : queries.invoices.moveStatus({ id: liftInvoiceId }, ['draft', 'open'], { status: 'void', voided_at: at });
    });
    return { received: true, duplicate: false, applied };
  } catch (error) {
    if (isUniqueViolation(error)) return { received: true, duplicate: true, applied: false };
    throw error;
  }
}
