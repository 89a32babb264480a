import { ForbiddenError, identityOf, type ServiceApp } from '@lift/kit';
import { Type } from '@sinclair/typebox';
import { applyRevocations, type RevocationTargets } from './revocation-events.js';

const RevocationBatch = Type.Object(
  {
    events: Type.Array(
      Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), type: Type.String({ maxLength: 200 }), data: Type.Optional(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
      { maxItems: 5_000 },
    ),
  },
  { additionalProperties: false },
);

/**
 * Where auth's outbox relay delivers revocations when there is no Redis (one gateway replica):
 * only auth's service token, carrying `gateway:revocations`, may post here.
 */
export async function revocationInboxRoute(app: ServiceApp, targets: RevocationTargets): Promise<void> {
  app.post(
    '/v1/events/revocations',
    {
      preHandler: app.requirePermission('gateway:revocations'),
      schema: { operationId: 'receiveRevocations', problems: { 403: 'Only auth\'s service token delivers revocations (AUTH_FORBIDDEN)' }, tags: ['events'], security: [{ bearerAuth: [] }], summary: 'Revocation events from auth (platform services only)', body: RevocationBatch, response: { 204: { type: 'null' } } },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      if (identity.subject !== 'svc:auth' || identity.organisation !== 'platform') throw new ForbiddenError('AUTH_FORBIDDEN', 'Only the auth service delivers revocations.');
      applyRevocations(request.body.events, targets);
      return reply.code(204).send();
    },
  );
}
