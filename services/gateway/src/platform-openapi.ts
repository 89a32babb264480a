import type { Clock, HttpClient, Logger } from '@lift/kit';
import { mergeOpenApiDocuments, type OpenApiDocument } from './openapi-merge.js';

/** A core service the gateway forwards `/<name>/*` to (an `Upstream` fits). */
export interface ServiceLocation {
  readonly name: string;
  readonly origin: string;
}

export interface PlatformOpenApiOptions {
  readonly services: readonly ServiceLocation[];
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: Logger;
  /** The gateway's version, which the platform document carries. */
  readonly version: string;
  readonly fetchTimeoutMs?: number;
  /** How long fetched documents are used before they are fetched again. */
  readonly maxAgeMs?: number;
}

export interface PlatformOpenApi {
  /**
   * The whole platform's document: the gateway's own paths, then every core service's under its
   * prefix. `own` is the gateway's document as @fastify/swagger builds it (`app.swagger()`).
   */
  document(own: object): Promise<OpenApiDocument>;
}

/** Where each service's part of the document came from, in `x-lift-sources`. */
type SourceState = 'current' | 'stale' | 'missing';

interface HeldCopy {
  readonly document: OpenApiDocument;
  current: boolean;
}

/**
 * Fetches every core service's /openapi.json at most once per `maxAgeMs` (one fetch at a time,
 * however many readers ask), so the docs page cannot be used to multiply load on the services.
 * A service that is down keeps its last good copy in the document (marked stale); one never
 * reached is left out and named in the description.
 */
export function platformOpenApi(options: PlatformOpenApiOptions): PlatformOpenApi {
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 3_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const copies = new Map<string, HeldCopy>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<void> | undefined;
  let merged: { own: object; generation: number; document: OpenApiDocument } | undefined;
  let generation = 0;

  const fetchOne = async (service: ServiceLocation): Promise<void> => {
    try {
      const answer = await options.http.call(`${service.origin}/openapi.json`, { timeoutMs: fetchTimeoutMs, signal: AbortSignal.timeout(fetchTimeoutMs) });
      if (answer.status !== 200) {
        await answer.text();
        throw new Error(`answered ${answer.status}`);
      }
      const document = await answer.json<OpenApiDocument>();
      if (typeof document?.openapi !== 'string' || typeof document.paths !== 'object' || document.paths === null) throw new Error('answered something that is not an OpenAPI document');
      copies.set(service.name, { document, current: true });
    } catch (error) {
      const held = copies.get(service.name);
      if (held) held.current = false;
      options.log.warn({ err: error, service: service.name, keptEarlierCopy: held !== undefined }, 'fetching a service\'s OpenAPI document failed');
    }
  };

  const fetchAll = async (): Promise<void> => {
    await Promise.all(options.services.map(fetchOne));
    fetchedAt = options.clock.now();
    generation += 1;
  };

  const build = (own: object): OpenApiDocument => {
    const sources: Record<string, SourceState> = {};
    for (const service of options.services) {
      const held = copies.get(service.name);
      sources[service.name] = held === undefined ? 'missing' : held.current ? 'current' : 'stale';
    }
    const missing = options.services.filter((service) => sources[service.name] === 'missing').map((service) => service.name);
    const description = [
      'Every Lift OS Core API behind this gateway: each service under its prefix (/auth, /memory, …), its operations tagged with its name.',
      ...(missing.length > 0 ? [`Not included right now, because the service could not be reached: ${missing.join(', ')}.`] : []),
    ].join(' ');
    return {
      ...mergeOpenApiDocuments({
        info: { title: 'Lift OS Core API', version: options.version, description },
        servers: [{ url: '/', description: 'this gateway' }],
        parts: [
          // @fastify/swagger's own output: an OpenAPI document by construction.
          { service: 'gateway', prefix: '', document: own as OpenApiDocument },
          ...options.services.flatMap((service) => {
            const held = copies.get(service.name);
            return held ? [{ service: service.name, prefix: `/${service.name}`, document: held.document }] : [];
          }),
        ],
      }),
      'x-lift-sources': sources,
    };
  };

  return {
    async document(own) {
      if (options.clock.now() - fetchedAt >= maxAgeMs) {
        fetching ??= fetchAll().finally(() => (fetching = undefined));
        await fetching;
      }
      if (merged?.own !== own || merged.generation !== generation) merged = { own, generation, document: build(own) };
      return merged.document;
    },
  };
}
