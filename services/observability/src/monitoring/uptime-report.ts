import type { MonitoringStore } from '../store/monitoring-store.js';
import { isoAt } from './monitoring-domain.js';

export const uptimeWindows = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type UptimeWindow = keyof typeof uptimeWindows;

export interface WindowFigures {
  readonly checks: number;
  /** Share of checks that found the service up (/health and /ready 2xx), in percent; null without checks. */
  readonly uptimePercent: number | null;
  /** Response times of /health, in ms; null without an answer. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

interface Tally {
  checks: number;
  up: number;
  latencies: Map<number, number>;
}

/** The nearest-rank percentile of a tally of integer latencies. */
function percentile(latencies: Map<number, number>, q: number): number | null {
  const total = [...latencies.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [ms, count] of [...latencies].sort(([a], [b]) => a - b)) {
    seen += count;
    if (seen >= rank) return ms;
  }
  return null;
}

function figures(tally: Tally | undefined): WindowFigures {
  if (!tally || tally.checks === 0) return { checks: 0, uptimePercent: null, p50Ms: null, p95Ms: null, p99Ms: null };
  return {
    checks: tally.checks,
    uptimePercent: Math.round((tally.up / tally.checks) * 10_000) / 100,
    p50Ms: percentile(tally.latencies, 0.5),
    p95Ms: percentile(tally.latencies, 0.95),
    p99Ms: percentile(tally.latencies, 0.99),
  };
}

const tallyFor = (tallies: Map<string, Tally>, target: string): Tally => {
  let tally = tallies.get(target);
  if (!tally) tallies.set(target, (tally = { checks: 0, up: 0, latencies: new Map() }));
  return tally;
};

/**
 * Uptime and response-time percentiles per service over 1 h (from the raw checks) and 24 h / 7 d
 * (from the hourly roll-ups, whole hours: the window starts at the top of the hour it falls in,
 * so it covers up to one hour more). Exact percentiles, since latencies are whole milliseconds
 * counted per value; a week of 10-second checks is 168 rows per service.
 */
export async function uptimeFigures(store: MonitoringStore, now: number): Promise<Map<string, Record<UptimeWindow, WindowFigures>>> {
  const hourStart = (windowMs: number) => isoAt(now - windowMs - ((now - windowMs) % 3_600_000));
  const dayFrom = hourStart(uptimeWindows['24h']);
  const day = new Map<string, Tally>();
  const week = new Map<string, Tally>();
  // One read of the week's hours serves both windows.
  for (const row of await store.health.hoursSince(hourStart(uptimeWindows['7d']))) {
    const latencies = Object.entries(JSON.parse(row.latencies) as Record<string, number>);
    for (const tallies of row.hour >= dayFrom ? [day, week] : [week]) {
      const tally = tallyFor(tallies, row.target);
      tally.checks += row.checks;
      tally.up += row.up_checks;
      for (const [ms, count] of latencies) tally.latencies.set(Number(ms), (tally.latencies.get(Number(ms)) ?? 0) + count);
    }
  }
  const lastHour = new Map<string, Tally>();
  for (const row of await store.health.checksSince(isoAt(now - uptimeWindows['1h']))) {
    const tally = tallyFor(lastHour, row.target);
    tally.checks += 1;
    if (row.state === 'up') tally.up += 1;
    if (row.latency_ms !== null) tally.latencies.set(row.latency_ms, (tally.latencies.get(row.latency_ms) ?? 0) + 1);
  }
  const targets = new Set([...lastHour.keys(), ...week.keys()]);
  return new Map([...targets].map((target) => [target, { '1h': figures(lastHour.get(target)), '24h': figures(day.get(target)), '7d': figures(week.get(target)) }]));
}
