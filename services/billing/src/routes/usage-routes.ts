import { identityOf, InvalidInputError, type ServiceApp } from '@lift/kit';
import { assertMayActFor, type BillingDomain } from '../billing-domain.js';
import { IngestResult, OrganisationParams, UsageBatch, UsageEvent, UsageSummaryBody, UsageSummaryQuery } from '../schemas.js';
import { ingestUsage } from '../usage-ingestion.js';

const security = [{ bearerAuth: [] }];

/** Usage reporting and its aggregates. */
export async function usageRoutes(app: ServiceApp, domain: BillingDomain): Promise<void> {
  app.post('/v1/usage', { preHandler: app.requirePermission('billing:usage'), schema: { operationId: 'reportUsage', problems: { 400: 'The usage event is refused; nothing was stored (BILLING_USAGE_INVALID)', 403: 'Usage for another organisation than the token\'s (BILLING_OTHER_ORGANISATION)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['usage'], security, summary: 'Report one usage event (idempotent by id within the organisation)', body: UsageEvent, response: { 200: IngestResult } } }, async (request) =>
    ingestUsage(domain, identityOf(request), [request.body], () => 'body'),
  );

  app.post(
    '/v1/usage/batch',
    { preHandler: app.requirePermission('billing:usage'), bodyLimit: 32 * 1024 * 1024, schema: { operationId: 'reportUsageBatch', problems: { 400: 'Events are refused, nothing was stored (BILLING_USAGE_INVALID), or the batch is too large (BILLING_BATCH_TOO_LARGE)', 403: 'Usage for another organisation than the token\'s (BILLING_OTHER_ORGANISATION)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['usage'], security, summary: 'Report many usage events; all or none are stored', body: UsageBatch, response: { 200: IngestResult } } },
    async (request) => {
      const events = request.body.events;
      if (events.length > domain.config.USAGE_BATCH_MAX) {
        throw new InvalidInputError('BILLING_BATCH_TOO_LARGE', `A batch holds at most ${domain.config.USAGE_BATCH_MAX} events; split it.`, { field: 'body.events' });
      }
      return ingestUsage(domain, identityOf(request), events, (index) => `body.events[${index}]`);
    },
  );

  app.get('/v1/usage/:organisationId/summary', { preHandler: app.requirePermission('billing:read'), schema: { operationId: 'getUsageSummary', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)' }, tags: ['usage'], security, summary: 'sum, count, max or unique count of a metric over a time range', params: OrganisationParams, querystring: UsageSummaryQuery, response: { 200: UsageSummaryBody } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    const { metric, from, to, aggregation, property } = request.query;
    const value = await domain.store.usage.aggregate({ organisationId: request.params.organisationId, metric, from: new Date(from), to: new Date(to), aggregation, ...(property ? { property } : {}) });
    return { organisationId: request.params.organisationId, metric, aggregation, from, to, value };
  });
}
