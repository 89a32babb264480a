import { retryDelayMs, type Logger } from '@lift/kit';
import type { OrganisationWrites } from '../organisation-writes.js';
import type { EmbeddingPosition, MemoryStore } from '../store/index.js';
import { vectorToBytes, type VectorIndex } from '../vector-index/vector-index.js';
import type { EmbeddingProvider } from './embedding-provider.js';

export interface ReEmbeddingOptions {
  readonly store: MemoryStore;
  readonly index: VectorIndex;
  readonly embedder: EmbeddingProvider;
  readonly writes: OrganisationWrites;
  readonly log: Logger;
  /** Memories per page (one embeddings call each, or a few: the provider batches too). */
  readonly pageSize: number;
  /** After a page fails: the first pause, doubling up to `retryMaxMs`. */
  readonly retryFirstMs: number;
  readonly retryMaxMs: number;
  /** After memories joined this replica's index with their new vectors: the other replicas follow. */
  readonly indexed?: (organisationId: string, ids: readonly string[]) => void;
}

export interface ReEmbeddingProgress {
  /** `running`, `paused` (the model failed; it tries again), `done`, or `stopped` (shutdown). */
  readonly state: 'starting' | 'running' | 'paused' | 'done' | 'stopped';
  /** Re-embedded by this process since it started. */
  readonly reEmbedded: number;
}

export type ReEmbedding = ReturnType<typeof reEmbedding>;

/**
 * Re-embeds, in the background, every memory whose vector is of another model than the current
 * one (a model change). The work list is the table (`embedding_model` ≠ the model), so a restart
 * carries on where the last one stopped. A memory joins the index only once its new vector is
 * stored: the index never holds two models' vectors, and full text finds the others meanwhile.
 * Each page is embedded outside the organisation's write turn (a slow model blocks no write),
 * then stored and indexed in it, unless an edit embedded the memory again first.
 */
export function reEmbedding(options: ReEmbeddingOptions) {
  const { store, index, embedder, writes, log } = options;
  let state: ReEmbeddingProgress['state'] = 'starting';
  let reEmbedded = 0;
  let stopping = false;
  let cancelPause: (() => void) | undefined;
  let settledWaiters: (() => void)[] = [];
  const settle = (next: ReEmbeddingProgress['state']) => {
    state = next;
    if (next === 'running') return;
    for (const resolve of settledWaiters) resolve();
    settledWaiters = [];
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      cancelPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const reEmbedPage = async (rows: { organisation_id: string; id: string; content: string }[]) => {
    const vectors = await embedder.embed(rows.map((row) => row.content));
    const byOrganisation = new Map<string, { id: string; content: string; vector: Float32Array }[]>();
    rows.forEach((row, position) => {
      const entries = byOrganisation.get(row.organisation_id) ?? [];
      entries.push({ id: row.id, content: row.content, vector: vectors[position] as Float32Array });
      byOrganisation.set(row.organisation_id, entries);
    });
    for (const [organisationId, entries] of byOrganisation) {
      await writes.run(organisationId, async () => {
        const stored = new Set(await store.embeddings.replaceVectors(organisationId, embedder.model, entries.map((entry) => ({ id: entry.id, content: entry.content, embedding: vectorToBytes(entry.vector) }))));
        const joined = entries.filter((entry) => stored.has(entry.id));
        index.upsert(organisationId, joined.map((entry) => ({ id: entry.id, vector: entry.vector })));
        if (joined.length > 0) options.indexed?.(organisationId, joined.map((entry) => entry.id));
        reEmbedded += stored.size;
      });
    }
  };

  const run = async () => {
    const pending = await store.embeddings.staleCount(embedder.model);
    if (pending === 0) return settle('done');
    const started = performance.now();
    let lastLog = started;
    settle('running');
    log.info({ pending, model: embedder.model }, 're-embedding the memories of another model in the background');
    let after: EmbeddingPosition | undefined;
    let failures = 0;
    while (!stopping) {
      const rows = await store.embeddings.stalePage(embedder.model, after, options.pageSize);
      if (rows.length === 0) break;
      try {
        await reEmbedPage(rows);
        failures = 0;
      } catch (error) {
        failures += 1;
        const delayMs = retryDelayMs(failures, options.retryFirstMs, options.retryMaxMs);
        log.warn({ err: error, reEmbedded, delayMs }, 're-embedding paused: the embeddings model failed; the same memories are tried again');
        settle('paused');
        await pause(delayMs);
        if (!stopping) settle('running');
        continue;
      }
      const last = rows.at(-1) as { organisation_id: string; id: string };
      after = { organisationId: last.organisation_id, id: last.id };
      if (performance.now() - lastLog > 2_000) {
        lastLog = performance.now();
        log.info({ reEmbedded, pending: pending - reEmbedded, elapsedMs: Math.round(lastLog - started) }, 're-embedding');
      }
    }
    if (stopping) return;
    log.info({ reEmbedded, model: embedder.model, elapsedMs: Math.round(performance.now() - started) }, 'every memory is embedded by the current model');
    settle('done');
  };

  let running: Promise<void> | undefined;
  return {
    /** Starts the work (once the index is built). A failure to read the work list is logged; the next start retries. */
    start(): void {
      if (stopping) return;
      running ??= run().catch((error: unknown) => {
        log.error({ err: error }, 're-embedding stopped');
        settle('stopped');
      });
    },
    progress: (): ReEmbeddingProgress => ({ state, reEmbedded }),
    /** Resolves when the work is done, paused after a failure, or stopped. */
    settled: (): Promise<void> => (state === 'starting' || state === 'running' ? new Promise((resolve) => settledWaiters.push(resolve)) : Promise.resolve()),
    /** Stops after the page in hand (shutdown). */
    async stop(): Promise<void> {
      stopping = true;
      cancelPause?.();
      await running;
      settle('stopped');
    },
  };
}
