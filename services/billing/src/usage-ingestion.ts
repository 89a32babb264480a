import { ForbiddenError, InvalidInputError, nowIso, type Identity } from '@lift/kit';
import { actsForAnyOrganisation, type BillingDomain } from './billing-domain.js';
import { billingErrorCodes } from './errors.js';
import { unknownOrganisations } from './organisation-check.js';
import { listPlans } from './plans.js';
import { currentPeriod, subscriptionOf } from './subscriptions.js';

export interface UsageEventInput {
  readonly id: string;
  readonly org: string;
  readonly metric: string;
  readonly quantity: number;
  readonly timestamp: string;
  readonly properties?: Record<string, string | number | boolean>;
}

export interface UsageProblem {
  readonly index: number;
  readonly field: string;
  readonly reason: string;
}

export const coreMetrics = ['api_calls', 'memory_items', 'memory_searches'] as const;

/** Where event `index` sits in the request: `body` for a single event, `body.events[i]` in a batch. */
export type EventPath = (index: number) => string;

/**
 * Stores usage events, each counted once forever (its organisation and `id` are the key: a repeat
 * is a duplicate, not an error; the same id from another organisation is another event). A batch
 * is validated as a whole: if any event is bad nothing is stored and the answer lists every bad
 * event with its index and reason. Events of organisations that exist nowhere are bad events:
 * billing asks auth about each organisation it has never met.
 */
export async function ingestUsage(domain: BillingDomain, identity: Identity, events: readonly UsageEventInput[], eventPath: EventPath): Promise<{ accepted: number; duplicates: number }> {
  const foreign = events.map((event, index) => ({ event, index })).filter(({ event }) => event.org !== identity.organisation && !actsForAnyOrganisation(identity));
  if (foreign.length > 0) {
    throw new ForbiddenError(billingErrorCodes.otherOrganisation, `Usage can only be reported for your own organisation (${identity.organisation}).`, {
      extensions: { errors: foreign.map(({ index }) => ({ index, field: `${eventPath(index)}.org`, reason: 'is another organisation' })) },
    });
  }
  const problems = await usageProblems(domain, events, eventPath);
  if (problems.length > 0) {
    throw new InvalidInputError(billingErrorCodes.invalidUsage, `${problems.length} usage event(s) refused; nothing was stored: ${problems.slice(0, 5).map((problem) => `${problem.field} ${problem.reason}`).join('; ')}`, {
      extensions: { errors: problems },
    });
  }
  return storeUsage(domain, events);
}

/**
 * Every reason an event cannot be counted: an organisation that does not exist, a metric no plan
 * has, a timestamp too far ahead or before the organisation's open period. An organisation met
 * for the first time starts its subscription here, with its earliest event.
 */
export async function usageProblems(domain: BillingDomain, events: readonly UsageEventInput[], eventPath: EventPath): Promise<UsageProblem[]> {
  // Before any subscription is started below: an unknown organisation must not get one.
  const unknown = await unknownOrganisations(domain, events.map((event) => event.org));

  const known = new Set<string>([...coreMetrics, ...(await listPlans(domain, true)).flatMap((plan) => plan.metrics.map((rule) => rule.metric))]);
  const now = domain.clock.now();
  const skewMs = domain.config.USAGE_FUTURE_SKEW_SECONDS * 1000;
  const periodStarts = new Map<string, number>();
  const problems: UsageProblem[] = [];
  for (const [index, event] of events.entries()) {
    const at = (field: string, reason: string) => problems.push({ index, field: `${eventPath(index)}.${field}`, reason });
    if (unknown.has(event.org)) at('org', 'is not an organisation');
    if (!known.has(event.metric)) at('metric', `"${event.metric}" is not a metric of any plan`);
    const time = Date.parse(event.timestamp);
    if (time > now + skewMs) at('timestamp', `is more than ${domain.config.USAGE_FUTURE_SKEW_SECONDS} s in the future`);
    if (unknown.has(event.org)) continue;
    let periodStart = periodStarts.get(event.org);
    if (periodStart === undefined) {
      // An organisation billing meets for the first time starts its subscription with its first event.
      const earliest = Math.min(now, ...events.filter((other) => other.org === event.org).map((other) => Date.parse(other.timestamp)));
      const subscription = await subscriptionOf(domain, event.org, new Date(earliest));
      periodStart = (await currentPeriod(domain, subscription)).start.getTime();
      periodStarts.set(event.org, periodStart);
    }
    if (time < periodStart) at('timestamp', `is before the open billing period, which began ${new Date(periodStart).toISOString()}`);
  }
  return problems;
}

/** Inserts valid events; an id the organisation already reported is a duplicate, not an error. */
export async function storeUsage(domain: BillingDomain, events: readonly UsageEventInput[]): Promise<{ accepted: number; duplicates: number }> {
  const receivedAt = nowIso(domain.clock);
  const rows = events.map((event) => ({
    id: event.id,
    organisation_id: event.org,
    metric: event.metric,
    quantity: event.quantity,
    occurred_at: new Date(event.timestamp).toISOString(),
    properties: JSON.stringify(event.properties ?? {}),
    received_at: receivedAt,
  }));
  // One transaction: a batch is stored whole or not at all, however many INSERTs it takes.
  const accepted = await domain.store.transaction((queries) => queries.usage.insertEvents(rows));
  return { accepted, duplicates: events.length - accepted };
}
