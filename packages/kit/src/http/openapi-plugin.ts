import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';

export interface OpenApiPluginOptions {
  readonly service: string;
  readonly version: string;
  readonly description: string;
}

/**
 * The OpenAPI document is generated from the route schemas (so it cannot drift from what is
 * validated) and served at /openapi.json, with Swagger UI at /docs. Registered before any route.
 */
export const openApiPlugin = fastifyPlugin<OpenApiPluginOptions>(
  async (app: FastifyInstance, options: OpenApiPluginOptions) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: `Lift OS Core ${options.service} API`, version: options.version, description: options.description },
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'lift-openapi' },
);
