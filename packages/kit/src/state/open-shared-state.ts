import type { Clock } from '../clock.js';
import { InProcessState } from './in-process-state.js';
import { RedisState } from './redis-state.js';
import type { SharedState } from './shared-state.js';

export interface SharedStateSettings {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_KEY_PREFIX: string;
}

/** Redis when REDIS_URL is set (any number of replicas), otherwise in-process (one replica). */
export function openSharedState(settings: SharedStateSettings, clock: Clock): SharedState {
  return settings.REDIS_URL
    ? new RedisState({ url: settings.REDIS_URL, keyPrefix: settings.REDIS_KEY_PREFIX })
    : new InProcessState(clock);
}
