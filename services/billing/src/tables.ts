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
    created_at: string;
    updated_at: string;
  };
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
