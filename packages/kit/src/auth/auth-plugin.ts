import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { ForbiddenError } from '../errors.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { hasPermission, type Identity } from './identity.js';
import { tokenMissing, tokenRejected } from './token-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireIdentity`/`requirePermission` once the access token is verified. */
    identity: Identity | undefined;
  }
  interface FastifyInstance {
    /** A preHandler: the request must carry a valid access token. */
    requireIdentity: preHandlerAsyncHookHandler;
    /** A preHandler: a valid access token whose `perms` include `permission`. */
    requirePermission(permission: string): preHandlerAsyncHookHandler;
  }
}

export interface AuthPluginOptions {
  readonly verifier: AccessTokenVerifier;
}

const bearerPattern = /^Bearer +([A-Za-z0-9_.~+/=-]{1,8192})$/i;
const permissionMark = Symbol('lift.requiredPermission');

/** Token verification for a service's routes: 401 without a valid token, 403 without the permission. */
export const authPlugin = fastifyPlugin<AuthPluginOptions>(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    app.decorateRequest('identity', undefined);

    const authenticate = async (request: FastifyRequest): Promise<Identity> => {
      if (request.identity) return request.identity;
      const header = request.headers.authorization;
      if (header === undefined || header === '') throw tokenMissing();
      const match = bearerPattern.exec(header);
      if (!match) throw tokenRejected('the Authorization header must be "Bearer <token>"');
      request.identity = await options.verifier.verify(match[1] as string);
      return request.identity;
    };

    app.decorate('requireIdentity', async (request: FastifyRequest) => {
      await authenticate(request);
    });
    app.decorate('requirePermission', (permission: string): preHandlerAsyncHookHandler => {
      const check: preHandlerAsyncHookHandler = async (request) => {
        const identity = await authenticate(request);
        if (!hasPermission(identity, permission)) {
          throw new ForbiddenError('AUTH_PERMISSION_MISSING', `This needs the permission ${permission}, which your token does not carry.`, {
            extensions: { permission },
          });
        }
      };
      // Marked, so the route's OpenAPI document can say which permission its 403 is about.
      return Object.assign(check, { [permissionMark]: permission });
    });
  },
  { name: 'lift-auth' },
);

/** The permission a `requirePermission` preHandler checks; undefined for any other function. */
export function requiredPermissionOf(handler: unknown): string | undefined {
  if (typeof handler !== 'function') return undefined;
  const permission = (handler as { [permissionMark]?: unknown })[permissionMark];
  return typeof permission === 'string' ? permission : undefined;
}

/** The verified identity of a request behind `requireIdentity`/`requirePermission`. */
export function identityOf(request: FastifyRequest): Identity {
  if (request.identity === undefined) throw tokenMissing();
  return request.identity;
}
