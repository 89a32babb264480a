import { Type } from '@sinclair/typebox';
import { authPlugin, createService, DependencyUnavailableError, ForbiddenError, identityOf, type AccessTokenVerifier, type Clock, type Logger, type ServiceApp } from '@lift/kit';
import { LiftApiError, PlatformTokenError, type LiftClient, type Memory, type MemoryClient, type PlatformTokens } from '@lift/sdk';
import type { TemplateConfig } from './config.js';
import packageJson from '../package.json' with { type: 'json' };

export interface TemplateDeps {
  readonly config: TemplateConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** Verifies the tokens the gateway forwards (the SDK's moduleTokenVerifier: audience `module:template`). */
  readonly verifier: AccessTokenVerifier;
  /**
   * How the module calls the platform for its caller: a delegated token (SDK platformTokens), a
   * client, and the memory service's client (SDK memoryClient), where the notes are kept.
   */
  readonly platform: { readonly tokens: PlatformTokens; readonly client: LiftClient; readonly memory: MemoryClient };
}

const bearerToken = /^Bearer +(\S+)$/i;

const Note = Type.Object({ id: Type.String(), text: Type.String(), author: Type.String(), createdAt: Type.String() });
/** The memory type the notes are stored as: the manifest's memoryRequirements.memoryTypes declares it. */
const noteType = 'note';
const noteOf = (memory: Memory) => ({ id: memory.id, text: memory.content, author: typeof memory.metadata.author === 'string' ? memory.metadata.author : memory.source, createdAt: memory.createdAt });
const PlatformIdentity = Type.Object({ userId: Type.String(), email: Type.String(), organisationId: Type.String(), platformPermissions: Type.Array(Type.String()) });

/**
 * The module's HTTP API. Built with the platform's kit, so it answers /health, /ready, /metrics and
 * /docs and speaks problem+json like every core service. It checks the token and permission itself
 * even though the gateway already did: a module never trusts the network.
 */
export async function buildApp(deps: TemplateDeps): Promise<ServiceApp> {
  const app = await createService({
    identity: { name: 'template', version: packageJson.version, description: 'The template module: notes per organisation.' },
    config: deps.config,
    log: deps.log,
    clock: deps.clock,
  });
  await app.register(authPlugin, { verifier: deps.verifier });

  // The notes live in the platform's memory service, in the caller's organisation, stored and
  // found with the caller's delegated token: memory holds it to the manifest (type `note`, hybrid search).
  app.get(
    '/v1/notes',
    {
      preHandler: app.requirePermission('template:read'),
      schema: {
        operationId: 'listNotes',
        summary: 'Notes of your organisation, newest first; with `q`, the best matches first',
        querystring: Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Note), nextCursor: Type.Null() }) },
      },
    },
    async (request) => {
      const moduleToken = bearerToken.exec(request.headers.authorization ?? '')?.[1] as string;
      const query = request.query.q;
      const memories = await onThePlatform(() =>
        query === undefined
          ? deps.platform.memory.list(moduleToken, { type: noteType, limit: 100 }).then((page) => page.items)
          : deps.platform.memory.search(moduleToken, { query, mode: 'hybrid', limit: 20, filters: { types: [noteType] } }).then((answer) => answer.items.map((hit) => hit.memory)),
      );
      return { items: memories.map(noteOf), nextCursor: null };
    },
  );

  app.post(
    '/v1/notes',
    {
      preHandler: app.requirePermission('template:write'),
      schema: { operationId: 'createNote', summary: 'Add a note', body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 201: Note } },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const moduleToken = bearerToken.exec(request.headers.authorization ?? '')?.[1] as string;
      const memory = await onThePlatform(() => deps.platform.memory.add(moduleToken, { content: request.body.text, type: noteType, metadata: { author: identity.subject } }));
      reply.code(201);
      return noteOf(memory);
    },
  );
  // Acting on the platform for the caller: the token the gateway sent is exchanged for a delegated
  // platform token limited to the manifest's memoryRequirements, then used like any client's.
  app.get(
    '/v1/whoami',
    { preHandler: app.requirePermission('template:read'), schema: { operationId: 'whoAmI', summary: 'The caller as the platform knows them, asked with a delegated token', response: { 200: PlatformIdentity } } },
    async (request) => {
      const moduleToken = bearerToken.exec(request.headers.authorization ?? '')?.[1] as string;
      const platformToken = await platformTokenFor(deps.platform.tokens, moduleToken);
      const me = await deps.platform.client.request<{ id: string; email: string; organisationId: string; permissions: string[] }>('GET', '/auth/v1/me', platformToken);
      return { userId: me.id, email: me.email, organisationId: me.organisationId, platformPermissions: me.permissions };
    },
  );
  return app;
}

/** A delegated platform token, its refusals as problems: busy or down is 503, refused is 403. */
async function platformTokenFor(tokens: PlatformTokens, moduleToken: string): Promise<string> {
  return onThePlatform(() => tokens.tokenFor(moduleToken));
}

/**
 * Work on the platform for the caller, its failures as this module's problems: the platform busy
 * or down is 503, a refusal (the token exchange, or memory holding the module to its manifest) 403.
 */
async function onThePlatform<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LiftApiError) {
      if (error.status === 403) throw new ForbiddenError('TEMPLATE_PLATFORM_REFUSED', `The platform will not let this module do that for you: ${error.message}`, { cause: error });
      throw new DependencyUnavailableError('TEMPLATE_PLATFORM_UNAVAILABLE', `The platform answered ${error.status}; try again shortly.`, { cause: error, headers: { 'retry-after': '5' } });
    }
    if (!(error instanceof PlatformTokenError)) throw new DependencyUnavailableError('TEMPLATE_PLATFORM_UNAVAILABLE', 'The platform could not be reached; try again shortly.', { cause: error, headers: { 'retry-after': '5' } });
    if (error.status === 429 || error.status >= 500) {
      throw new DependencyUnavailableError('TEMPLATE_PLATFORM_UNAVAILABLE', `The platform would not issue a token just now (${error.error}); try again shortly.`, { cause: error, headers: { 'retry-after': '5' } });
    }
    throw new ForbiddenError('TEMPLATE_PLATFORM_REFUSED', `The platform will not let this module act for you: ${error.message}`, { cause: error });
  }
}
