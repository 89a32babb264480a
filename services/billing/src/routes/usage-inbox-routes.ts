import { Type } from '@sinclair/typebox';
import { ForbiddenError, identityOf, type ServiceApp } from '@lift/kit';
import { actsForAnyOrganisation, type BillingDomain } from '../billing-domain.js';
import { billingErrorCodes } from '../errors.js';
import { receiveInternalUsage } from '../usage-inbox.js';

const InboxBatch = Type.Object({ events: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100_000 }) }, { additionalProperties: false });
const InboxResult = Type.Object({
  accepted: Type.Integer({ description: 'events counted now' }),
  duplicates: Type.Integer({ description: 'events whose id was already counted' }),
  deadLettered: Type.Integer({ description: 'events that cannot be counted, kept with their reason' }),
});

/**
 * The event stream's HTTP inbox: where a producer without Redis relays its outbox. Platform
 * services only; tenants and modules report through POST /v1/usage and /v1/usage/batch.
 */
export async function usageInboxRoutes(app: ServiceApp, domain: BillingDomain): Promise<void> {
  app.post(
    '/v1/events/usage',
    {
      preHandler: app.requirePermission('billing:usage'),
      bodyLimit: 64 * 1024 * 1024,
      schema: { operationId: 'receiveUsageEvents', problems: { 403: 'Only the platform\'s own services deliver here (BILLING_OTHER_ORGANISATION)' }, tags: ['usage'], security: [{ bearerAuth: [] }], summary: 'Usage relayed by a platform service\'s outbox (at least once; counted once per organisation and id)', body: InboxBatch, response: { 200: InboxResult } },
    },
    async (request) => {
      const identity = identityOf(request);
      if (!actsForAnyOrganisation(identity)) throw new ForbiddenError(billingErrorCodes.otherOrganisation, 'Only the platform\'s own services deliver to the event inbox; report usage through POST /v1/usage/batch.');
      return receiveInternalUsage(domain, request.body.events);
    },
  );
}
