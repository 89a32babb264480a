import { LiftError } from '@lift/kit';
import { memoryErrorCodes } from '../errors.js';

/** The plan's hard cap on stored memories, as billing's entitlements tell it. */
export interface ItemLimit {
  readonly included: number;
  readonly planId: string;
  readonly periodEnd: string;
}

export interface ItemLimits {
  /** The organisation's hard memory_items limit; undefined when its plan has none (or limits are off). */
  limitOf(organisationId: string): Promise<ItemLimit | undefined>;
}

/** No limits: when MEMORY_LIMITS is off, or the service has no credentials to ask billing. */
export const unlimited: ItemLimits = { limitOf: async () => undefined };

/**
 * Refuses storing `adding` more memories when the organisation would pass its plan's hard limit:
 * 402, shaped like the gateway's quota answer (same title and members), so clients handle both
 * alike. No Retry-After: a level does not reset with the period; deleting memories frees room.
 */
export function assertRoomFor(limit: ItemLimit | undefined, stored: number, adding: number): void {
  if (limit === undefined || stored + adding <= limit.included) return;
  throw new LiftError(
    402,
    memoryErrorCodes.itemLimitReached,
    'Quota exceeded',
    `The ${limit.planId} plan allows ${limit.included} memory_items; ${stored} are stored and ${adding} more would pass it. Delete memories or upgrade the plan.`,
    { extensions: { metric: 'memory_items', included: limit.included, planId: limit.planId, periodEnd: limit.periodEnd, stored } },
  );
}
