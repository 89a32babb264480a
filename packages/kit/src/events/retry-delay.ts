/** Doubling waits after consecutive failures: `firstMs`, 2×, 4× … capped at `maxMs`. */
export function retryDelayMs(failures: number, firstMs: number, maxMs: number): number {
  // The exponent is capped too, so a long outage cannot overflow it.
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(0, failures - 1), 20));
}
