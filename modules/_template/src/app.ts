import { Type } from '@sinclair/typebox';
import { authPlugin, createService, identityOf, type AccessTokenVerifier, type Clock, type Logger, type ServiceApp } from '@lift/kit';
import type { TemplateConfig } from './config.js';
import { NoteBook } from './notes.js';
import packageJson from '../package.json' with { type: 'json' };

export interface TemplateDeps {
  readonly config: TemplateConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** Verifies the platform's tokens (the SDK's moduleTokenVerifier in production). */
  readonly verifier: AccessTokenVerifier;
}

const Note = Type.Object({ id: Type.String(), text: Type.String(), author: Type.String(), createdAt: Type.String() });

/**
 * The module's HTTP API. Built with the platform's kit, so it answers /health, /ready, /metrics and
 * /docs and speaks problem+json like every core service. It checks the token and permission itself
 * even though the gateway already did: a module never trusts the network.
 */
export async function buildApp(deps: TemplateDeps): Promise<ServiceApp> {
  const notes = new NoteBook();
  const app = await createService({
    identity: { name: 'template', version: packageJson.version, description: 'The template module: notes per organisation.' },
    config: deps.config,
    log: deps.log,
    clock: deps.clock,
  });
  await app.register(authPlugin, { verifier: deps.verifier });

  app.get('/v1/notes', { preHandler: app.requirePermission('template:read'), schema: { summary: 'Notes of your organisation', response: { 200: Type.Object({ items: Type.Array(Note), nextCursor: Type.Null() }) } } }, async (request) => ({
    items: [...notes.list(identityOf(request).organisation)],
    nextCursor: null,
  }));

  app.post(
    '/v1/notes',
    {
      preHandler: app.requirePermission('template:write'),
      schema: { summary: 'Add a note', body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 201: Note } },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      reply.code(201);
      return notes.add(identity.organisation, identity.subject, request.body.text, new Date(deps.clock.now()));
    },
  );
  return app;
}
