/** ISO-8601 with a date and a time (Date.parse alone takes "2026" or "Nov 28 2026"). */
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of an ISO-8601 timestamp, or NaN — also for dates that do not exist (2026-02-30, which Date.parse rolls over to March). */
export function parseIsoTime(text: string): number {
  const match = isoPattern.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return Number.NaN;
  return Date.parse(text);
}
