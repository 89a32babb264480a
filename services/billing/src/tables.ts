/** The billing service's tables as Kysely sees them (snake_case; ISO-8601 UTC text times). */
export interface BillingTables {
  plans: { id: string; definition: string; archived: number; created_at: string; updated_at: string };
  subscriptions: {
    organisation_id: string;
    plan_id: string;
    anchor: string;
    trial_ends_at: string | null;
    cancel_at_period_end: number;
    pending_plan_id: string | null;
    stripe_customer_id?: string | null;
    stripe_subscription_id?: string | null;
    stripe_subscription_item_id?: string | null;
    /** The plan terms, trial and cancellation Stripe was last told (see stripe-subscription-mirror.ts). */
    stripe_synced_terms?: string | null;
    created_at: string;
    updated_at: string;
  };
  invoices: {
    id: string;
    organisation_id: string;
    number: number | null;
    plan_id: string;
    period_start: string;
    period_end: string;
    currency: string;
    lines: string;
    subtotal_cents: number | string | bigint;
    total_cents: number | string | bigint;
    status: 'draft' | 'open' | 'paid' | 'void';
    created_at: string;
    finalized_at: string | null;
    paid_at: string | null;
    voided_at: string | null;
    stripe_invoice_id?: string | null;
  };
  invoice_sequence: { id: number; last_number: number };
  stripe_events: { id: string; type: string; received_at: string };
  stripe_prices: { terms: string; stripe_price_id: string; created_at: string };
  usage_dead_letters: { event_id: string; event: string; reason: string; received_at: string };
  usage_events: {
    id: string;
    organisation_id: string;
    metric: string;
    quantity: number | string | bigint;
    occurred_at: string;
    properties: string;
    received_at: string;
  };
}
