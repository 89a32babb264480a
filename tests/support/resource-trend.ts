import type { ProcessSample } from './process-sampler.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Resident memory over a run under steady load, split in thirds: warm-up, middle, last. */
export interface MemoryTrend {
  readonly firstKb: number;
  readonly middleMedianKb: number;
  readonly lastMedianKb: number;
  readonly lastKb: number;
  /** Last third's median over the middle third's: above 0 means it kept growing after warm-up. */
  readonly growthKb: number;
}

/**
 * The first third is warm-up (JIT, caches, connection pools filling up) and not judged; a leak
 * shows as the last third's median above the middle third's. Medians, not single readings, so one
 * garbage collection more or less in a third does not decide.
 */
export function memoryTrend(samples: readonly ProcessSample[]): MemoryTrend {
  if (samples.length < 6) throw new Error(`${samples.length} samples are too few to see a trend`);
  const third = Math.floor(samples.length / 3);
  const rss = samples.map((sample) => sample.rssKb);
  const middleMedianKb = median(rss.slice(third, 2 * third));
  const lastMedianKb = median(rss.slice(2 * third));
  return { firstKb: rss[0] as number, middleMedianKb, lastMedianKb, lastKb: rss[rss.length - 1] as number, growthKb: lastMedianKb - middleMedianKb };
}
