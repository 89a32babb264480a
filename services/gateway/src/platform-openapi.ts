import { withEdgeAnswers } from './edge-answers.js';
import { mergeOpenApiDocuments, type OpenApiDocument } from './openapi-merge.js';
import type { DocumentState, ServiceDocuments, ServiceLocation } from './service-documents.js';

export interface PlatformOpenApiOptions {
  readonly services: readonly ServiceLocation[];
  /** The services' own documents, fetched and held for the docs and the public-route table alike. */
  readonly documents: ServiceDocuments;
  /** The gateway's version, which the platform document carries. */
  readonly version: string;
}

export interface PlatformOpenApi {
  /**
   * The whole platform's document: the gateway's own paths, then every core service's under its
   * prefix. `own` is the gateway's document as @fastify/swagger builds it (`app.swagger()`).
   */
  document(own: object): Promise<OpenApiDocument>;
}

/**
 * The services' documents merged into one, rebuilt only when a fetch brought something new. A
 * service that is down keeps its last good copy in the document (marked stale in
 * `x-lift-sources`); one never reached is left out and named in the description.
 */
export function platformOpenApi(options: PlatformOpenApiOptions): PlatformOpenApi {
  const { documents } = options;
  let merged: { own: object; generation: number; document: OpenApiDocument } | undefined;

  const build = (own: object): OpenApiDocument => {
    const sources: Record<string, DocumentState> = {};
    for (const service of options.services) sources[service.name] = documents.state(service.name);
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
            const document = documents.latest(service.name);
            return document ? [{ service: service.name, prefix: `/${service.name}`, document: withEdgeAnswers(document, `/${service.name}`) }] : [];
          }),
        ],
      }),
      'x-lift-sources': sources,
    };
  };

  return {
    async document(own) {
      await documents.refresh();
      if (merged?.own !== own || merged.generation !== documents.generation) merged = { own, generation: documents.generation, document: build(own) };
      return merged.document;
    },
  };
}
