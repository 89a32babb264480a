/** Keys per millisecond: `time_ms * 2000 + n` stays an exact JavaScript number until the year 2112. */
export const keysPerMs = 2_000;
/** Slots kept in memory before the oldest are forgotten (then asked of the database again if a late line needs them). */
const rememberedSlots = 20_000;

/** The highest key stored in the millisecond slot `[slot * keysPerMs, (slot + 1) * keysPerMs)`, or undefined. */
export type HighestKeyIn = (slot: number) => Promise<number | undefined>;

/**
 * SQLite's time-keyed row ids: the rowid is `time_ms * 2000 + n`, n counting the lines of one
 * millisecond, so the rowid order is the time order and every index walks newest first without a
 * sort. More than 2,000 lines in one millisecond take keys of the next one (their `time_ms` stays
 * exact; they sort among that millisecond's lines). One writer owns a SQLite file and the kit runs
 * its transactions one at a time, so keys are handed out here: from memory for the slots this
 * process has used (or that are above every key stored when it started), from the database for
 * older ones (late lines). A rolled-back batch leaves a gap, never a duplicate.
 */
export class TimeKeyedIds {
  private readonly next = new Map<number, number>();
  /** No key above this is stored except those `next` knows of. */
  private floor: number;

  constructor(highestStored: number) {
    this.floor = highestStored;
  }

  async allocate(timeMs: number, highestKeyIn: HighestKeyIn): Promise<number> {
    let slot = timeMs;
    for (;;) {
      const end = (slot + 1) * keysPerMs;
      let free = this.next.get(slot);
      if (free === undefined) {
        if (end - 1 > this.floor) free = Math.max(slot * keysPerMs, this.floor + 1);
        else free = ((await highestKeyIn(slot)) ?? slot * keysPerMs - 1) + 1;
      }
      if (free < end) {
        this.next.set(slot, free + 1);
        return free;
      }
      this.next.set(slot, end);
      slot += 1;
    }
  }

  /** Called between batches: forgets the oldest slots, which then come from the database. */
  forgetOld(): void {
    if (this.next.size <= rememberedSlots) return;
    const slots = [...this.next.keys()].sort((a, b) => a - b);
    const keep = slots[slots.length - rememberedSlots / 2] as number;
    for (const slot of slots) {
      if (slot >= keep) break;
      this.next.delete(slot);
    }
    // Every slot below `keep` is now asked of the database; those at or above it stay known.
    this.floor = Math.max(this.floor, keep * keysPerMs - 1);
  }
}
