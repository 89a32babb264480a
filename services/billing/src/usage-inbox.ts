import { InvalidInputError, strictValidator, type EventRecord, type Identity } from '@lift/kit';
import { nowIso, type BillingDomain } from './billing-domain.js';
import { UsageEvent } from './schemas.js';
import { ingestUsage, type UsageEventInput, type UsageProblem } from './usage-ingestion.js';

const isUsageEvent = strictValidator<UsageEventInput>(UsageEvent);

/** Internal deliveries act for every organisation, as the platform's services do. */
const platformProducer: Identity = { subject: 'svc:event-stream', organisation: 'platform', roles: [], permissions: ['billing:usage'], tokenId: 'event-stream', expiresAt: Number.MAX_SAFE_INTEGER };

export interface InboxResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

/**
 * Usage that the platform's own producers (the gateway) deliver through the event stream. Unlike
 * the public batch endpoint, a bad event does not refuse its batch: the producer cannot fix it,
 * and refusing would block every later event behind it. Bad events go to `usage_dead_letters`
 * with their reason (and the log); the rest are counted, idempotently by id.
 */
export async function receiveInternalUsage(domain: BillingDomain, records: readonly EventRecord[]): Promise<InboxResult> {
  const refused: { record: EventRecord; reason: string }[] = [];
  let events: UsageEventInput[] = [];
  for (const record of records) {
    if (isUsageEvent(record)) events.push(record);
    else refused.push({ record, reason: `malformed: ${isUsageEvent.problems().slice(0, 3).join('; ')}` });
  }

  let result = { accepted: 0, duplicates: 0 };
  if (events.length > 0) {
    try {
      result = await ingestUsage(domain, platformProducer, events, (index) => `events[${index}]`);
    } catch (error) {
      const problems = problemsOf(error);
      if (problems === undefined) throw error;
      const bad = new Map<number, string>();
      for (const problem of problems) bad.set(problem.index, [bad.get(problem.index), `${problem.field.replace(/^events\[\d+\]\./, '')} ${problem.reason}`].filter(Boolean).join('; '));
      for (const [index, reason] of bad) refused.push({ record: { ...events[index] }, reason });
      events = events.filter((_event, index) => !bad.has(index));
      // The rest passed every check the first time; a second failure is a real one and is retried by the producer.
      if (events.length > 0) result = await ingestUsage(domain, platformProducer, events, (index) => `events[${index}]`);
    }
  }
  if (refused.length > 0) await deadLetter(domain, refused);
  return { ...result, deadLettered: refused.length };
}

function problemsOf(error: unknown): readonly UsageProblem[] | undefined {
  if (!(error instanceof InvalidInputError)) return undefined;
  const problems = error.extensions.errors;
  return Array.isArray(problems) && problems.length > 0 ? (problems as UsageProblem[]) : undefined;
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
  await domain.db.insertInto('usage_dead_letters').values(rows).onConflict((conflict) => conflict.column('event_id').doNothing()).execute();
}
