/**
 * How long an answer's `Retry-After` asks to wait, in milliseconds: delay-seconds or an HTTP
 * date (RFC 9110 §10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  // Only something date-like: Date.parse reads `-5` as a year, which would mean never.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
