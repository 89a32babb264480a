import type { Clock, ReadinessCheck } from '@lift/kit';
import type { RemoteEmbeddings } from './openai-embeddings.js';

/**
 * `/ready` names `embeddings` while the remote model does not answer. A model that answered last
 * time is taken as up (no paid call per poll); otherwise the check probes it, at most once per
 * `probeEveryMs`, and repeats the last failure in between.
 */
export function embeddingsReadiness(remote: RemoteEmbeddings, clock: Clock, probeEveryMs: number): ReadinessCheck {
  return {
    name: 'embeddings',
    check: async () => {
      const last = remote.lastOutcome;
      if (last?.ok) return;
      if (last === undefined || clock.now() - last.at >= probeEveryMs) return remote.probe();
      throw new Error(last.reason ?? 'the embeddings model does not answer');
    },
  };
}
