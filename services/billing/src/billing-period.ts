/**
 * Billing periods anchored on the day a subscription started, as Stripe does: a month after
 * 31 January is 28 February (29 in a leap year), then 31 March — the anchor day is kept whenever
 * the month has it. All in UTC.
 */
export function addInterval(anchor: Date, interval: 'month' | 'year', count: number): Date {
  const months = interval === 'year' ? count * 12 : count;
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(Date.UTC(targetYear, targetMonth, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
}

export interface Period {
  readonly start: Date;
  readonly end: Date;
}

/** The period that contains `at`, for a subscription anchored at `anchor`. */
export function periodContaining(anchor: Date, interval: 'month' | 'year', at: Date): Period {
  if (at < anchor) return { start: anchor, end: addInterval(anchor, interval, 1) };
  // Estimate, then step: months between the two, corrected for the anchor's day and time.
  const months = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let index = Math.max(0, Math.floor(months / (interval === 'year' ? 12 : 1)) - 1);
  while (addInterval(anchor, interval, index + 1) <= at) index += 1;
  return { start: addInterval(anchor, interval, index), end: addInterval(anchor, interval, index + 1) };
}
