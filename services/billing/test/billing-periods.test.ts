import { describe, expect, it } from 'vitest';
import { addInterval, periodContaining } from '../src/billing-period.js';

const at = (iso: string) => new Date(iso);

describe('billing periods', () => {
  it('keep the anchor day across month ends and leap years', () => {
    const anchor = at('2027-01-31T10:00:00Z');
    expect([1, 2, 3].map((count) => addInterval(anchor, 'month', count).toISOString())).toEqual(['2027-02-28T10:00:00.000Z', '2027-03-31T10:00:00.000Z', '2027-04-30T10:00:00.000Z']);
    expect(addInterval(at('2028-01-31T00:00:00Z'), 'month', 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addInterval(at('2028-02-29T00:00:00Z'), 'year', 1).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(addInterval(at('2028-02-29T00:00:00Z'), 'year', 4).toISOString()).toBe('2032-02-29T00:00:00.000Z');
  });

  it('find the period containing a moment, boundaries belonging to the next one', () => {
    const anchor = at('2027-01-31T10:00:00Z');
    expect(periodContaining(anchor, 'month', at('2027-03-15T00:00:00Z'))).toEqual({ start: at('2027-02-28T10:00:00Z'), end: at('2027-03-31T10:00:00Z') });
    expect(periodContaining(anchor, 'month', at('2027-03-31T10:00:00Z')).start).toEqual(at('2027-03-31T10:00:00Z'));
    expect(periodContaining(anchor, 'month', at('2027-03-31T09:59:59.999Z')).start).toEqual(at('2027-02-28T10:00:00Z'));
    expect(periodContaining(at('2026-06-15T00:00:00Z'), 'year', at('2028-06-14T23:00:00Z'))).toEqual({ start: at('2027-06-15T00:00:00Z'), end: at('2028-06-15T00:00:00Z') });
  });
});
