import type { Clock } from '../clock.js';
import { InProcessState } from './in-process-state.js';
import type { SharedState } from './shared-state.js';

export interface SharedStateSettings {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_KEY_PREFIX: string;
}

/** Redis when REDIS_URL is set (any number of replicas), otherwise in-process (one replica). */
export async function openSharedState(settings: SharedStateSettings, clock: Clock): Promise<SharedState> {
  if (!settings.REDIS_URL) return new InProcessState(clock);
  // ioredis is loaded only when used: it adds ~25 MB to every process that imports it.
  const { RedisState } = await import('./redis-state.js');
  return new RedisState({ url: settings.REDIS_URL, keyPrefix: settings.REDIS_KEY_PREFIX });
}
