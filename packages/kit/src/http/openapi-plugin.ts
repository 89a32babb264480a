import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { documentRoute, finishDocument } from './openapi-document.js';

export interface OpenApiPluginOptions {
  readonly service: string;
  readonly version: string;
  readonly description: string;
  /** What each of the service's tags groups, by tag name (the kit's own `health` is added). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Replaces the document served; see CreateServiceOptions.openApiDocument. */
  readonly document?: (own: object) => Promise<object>;
}

/**
 * The OpenAPI document is generated from the route schemas (so it cannot drift from what is
 * validated) and served at /openapi.json, with Swagger UI at /docs. Registered before any route.
 * Every operation gets an operationId and its problem+json answers (openapi-document.ts).
 */
export const openApiPlugin = fastifyPlugin<OpenApiPluginOptions>(
  async (app: FastifyInstance, options: OpenApiPluginOptions) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: `Lift OS Core ${options.service} API`, version: options.version, description: options.description },
        tags: Object.entries({ health: 'Liveness and readiness probes', ...options.tags }).map(([name, description]) => ({ name, description })),
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
      transform: documentRoute,
      // Only the OpenAPI form is generated here (never Swagger 2's swaggerObject).
      transformObject: (generated) => finishDocument(('openapiObject' in generated ? generated.openapiObject : {}) as Record<string, unknown>),
    });
    const served = options.document;
    // Swagger UI reads its document (/docs/json) synchronously, so its preHandler fetches it first.
    // Callback style, because the plugin's hook type has no async form.
    let latest: object | undefined;
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      ...(served && {
        uiHooks: {
          preHandler: (_request, _reply, done) => {
            served(app.swagger()).then((document) => {
              latest = document;
              done();
            }, done);
          },
        },
        transformSpecification: (own: Readonly<Record<string, unknown>>) => latest ?? own,
        transformSpecificationClone: false,
      }),
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => (served ? served(app.swagger()) : app.swagger()));
  },
  { name: 'lift-openapi' },
);
