import type { Clock, HttpClient, Logger } from '@lift/kit';
import type { OpenApiDocument } from './openapi-merge.js';

/** A core service the gateway forwards `/<name>/*` to (an `Upstream` fits). */
export interface ServiceLocation {
  readonly name: string;
  readonly origin: string;
}

export interface ServiceDocumentsOptions {
  readonly services: readonly ServiceLocation[];
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly fetchTimeoutMs?: number;
  /** How long fetched documents are used before they are fetched again. */
  readonly maxAgeMs?: number;
  /** After a failed fetch of one service's document on demand, how long until the next may start. */
  readonly retryAfterFailureMs?: number;
}

/** Where a service's document stands: fetched in the last round, kept from an earlier one, or never fetched. */
export type DocumentState = 'current' | 'stale' | 'missing';

export interface ServiceDocuments {
  /** The service's last good document; undefined until one was fetched. */
  latest(service: string): OpenApiDocument | undefined;
  state(service: string): DocumentState;
  /** Grows whenever a fetch ends, so views built from the documents know when to rebuild. */
  readonly generation: number;
  /**
   * Fetches every service's document when the last round is older than `maxAgeMs` — and between
   * rounds those never fetched, as `fetchNow` does — and waits for it.
   */
  refresh(): Promise<void>;
  /**
   * `refresh()` without waiting, once a first round has happened: traffic keeps the documents
   * fresh. Before that round (the gateway starts it when it listens) it does nothing.
   */
  keepFresh(): void;
  /**
   * Fetches one service's document now — for a request that cannot be decided without it —
   * joining a fetch already running, and not again within `retryAfterFailureMs` of a failure.
   */
  fetchNow(service: string): Promise<void>;
}

/**
 * Every core service's /openapi.json, fetched at most once per `maxAgeMs` (one fetch at a time,
 * however many readers ask), so neither the docs page nor the public-route check can be used to
 * multiply load on the services. A service that is down keeps its last good copy.
 */
export function serviceDocuments(options: ServiceDocumentsOptions): ServiceDocuments {
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 3_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 1_000;
  const copies = new Map<string, { readonly document: OpenApiDocument; current: boolean }>();
  const fetchingOne = new Map<string, Promise<void>>();
  // Only failures on demand hold the next attempt back: a round that ran before a service was up must not.
  const failedOnDemandAt = new Map<string, number>();
  let roundEndedAt = Number.NEGATIVE_INFINITY;
  let round: Promise<void> | undefined;
  let generation = 0;

  const fetchOne = async (service: ServiceLocation): Promise<boolean> => {
    try {
      const answer = await options.http.call(`${service.origin}/openapi.json`, { timeoutMs: fetchTimeoutMs, signal: AbortSignal.timeout(fetchTimeoutMs) });
      if (answer.status !== 200) {
        await answer.text();
        throw new Error(`answered ${answer.status}`);
      }
      const document = await answer.json<OpenApiDocument>();
      if (typeof document?.openapi !== 'string' || typeof document.paths !== 'object' || document.paths === null) throw new Error('answered something that is not an OpenAPI document');
      copies.set(service.name, { document, current: true });
      return true;
    } catch (error) {
      const held = copies.get(service.name);
      if (held) held.current = false;
      options.log.warn({ err: error, upstream: service.name, keptEarlierCopy: held !== undefined }, 'fetching a service\'s OpenAPI document failed');
      return false;
    } finally {
      generation += 1;
    }
  };

  const fetchNow = (name: string): Promise<void> => {
    const running = fetchingOne.get(name);
    if (running) return running;
    const service = options.services.find((candidate) => candidate.name === name);
    const lastFailure = failedOnDemandAt.get(name);
    if (!service || (lastFailure !== undefined && options.clock.now() - lastFailure < retryAfterFailureMs)) return Promise.resolve();
    const fetching = fetchOne(service)
      .then((fetched) => void (fetched ? failedOnDemandAt.delete(name) : failedOnDemandAt.set(name, options.clock.now())))
      .finally(() => fetchingOne.delete(name));
    fetchingOne.set(name, fetching);
    return fetching;
  };

  const refresh = async (): Promise<void> => {
    if (options.clock.now() - roundEndedAt >= maxAgeMs) {
      round ??= Promise.all(options.services.map(fetchOne))
        .then(() => void (roundEndedAt = options.clock.now()))
        .finally(() => (round = undefined));
      return round;
    }
    // Between rounds a service never reached is asked again (at most once a second): a gateway
    // that started before the services must not leave them out of its documents for a minute.
    await Promise.all(options.services.filter((service) => !copies.has(service.name)).map((service) => fetchNow(service.name)));
  };

  return {
    latest: (service) => copies.get(service)?.document,
    state(service) {
      const held = copies.get(service);
      return held === undefined ? 'missing' : held.current ? 'current' : 'stale';
    },
    get generation() {
      return generation;
    },
    refresh,
    keepFresh() {
      if (roundEndedAt !== Number.NEGATIVE_INFINITY && round === undefined && options.clock.now() - roundEndedAt >= maxAgeMs) void refresh();
    },
    fetchNow,
  };
}
