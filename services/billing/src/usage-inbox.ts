import { nowIso, strictValidator, type EventRecord } from '@lift/kit';
import { type BillingDomain } from './billing-domain.js';
import { UsageEvent } from './schemas.js';
import { storeUsage, usageProblems, type UsageEventInput } from './usage-ingestion.js';

const isUsageEvent = strictValidator<UsageEventInput>(UsageEvent);

export interface InboxResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

/**
 * Usage that the platform's own producers (the gateway) deliver through the event stream. Unlike
 * the public batch endpoint, a bad event does not refuse its batch: the producer cannot fix it,
 * and refusing would block every later event behind it. Bad events go to `usage_dead_letters`
 * with their reason (and the log); the rest are counted, idempotently by organisation and id.
 */
export async function receiveInternalUsage(domain: BillingDomain, records: readonly EventRecord[]): Promise<InboxResult> {
  const refused: { record: EventRecord; reason: string }[] = [];
  const wellFormed: UsageEventInput[] = [];
  for (const record of records) {
    if (isUsageEvent(record)) wellFormed.push(record);
    else refused.push({ record, reason: `malformed: ${isUsageEvent.problems().slice(0, 3).join('; ')}` });
  }
  // The same checks as the public endpoints; the events that fail them are set aside, not refused with the batch.
  const reasons = new Map<number, string[]>();
  for (const problem of await usageProblems(domain, wellFormed, () => 'event')) {
    reasons.set(problem.index, [...(reasons.get(problem.index) ?? []), `${problem.field.replace(/^event\./, '')} ${problem.reason}`]);
  }
  for (const [index, why] of reasons) refused.push({ record: { ...wellFormed[index] }, reason: why.join('; ') });
  const countable = wellFormed.filter((_event, index) => !reasons.has(index));
  const result = countable.length > 0 ? await storeUsage(domain, countable) : { accepted: 0, duplicates: 0 };
  if (refused.length > 0) await deadLetter(domain, refused);
  return { ...result, deadLettered: refused.length };
}

async function deadLetter(domain: BillingDomain, refused: readonly { record: EventRecord; reason: string }[]): Promise<void> {
  domain.log.error({ count: refused.length, first: refused[0] }, 'usage events could not be counted; kept in usage_dead_letters');
  const receivedAt = nowIso(domain.clock);
  const rows = refused.map(({ record, reason }, index) => ({
    // Events without a usable id still get a key, so none is lost to a conflict with another.
    event_id: typeof record.id === 'string' && record.id !== '' ? record.id.slice(0, 128) : `unidentified:${receivedAt}:${index}`,
    event: JSON.stringify(record).slice(0, 10_000),
    reason: reason.slice(0, 1_000),
    received_at: receivedAt,
  }));
  await domain.store.usage.insertDeadLetters(rows);
}
