import { Type } from '@sinclair/typebox';
import { identityOf, InvalidInputError, type ServiceApp } from '@lift/kit';
import { revenue, usageOverTime } from '../analytics.js';
import { assertMayActFor, requireAdmin, type BillingDomain } from '../billing-domain.js';
import { Metric } from '../plan-schema.js';
import { OrganisationParams } from '../schemas.js';

const security = [{ bearerAuth: [] }];
const tags = ['analytics'];

export async function analyticsRoutes(app: ServiceApp, domain: BillingDomain): Promise<void> {
  app.get(
    '/v1/analytics/usage/:organisationId',
    {
      preHandler: app.requirePermission('billing:read'),
      schema: {
        operationId: 'getUsageAnalytics', problems: { 400: 'The range goes backwards or spans more than 366 days (BILLING_RANGE_INVALID)', 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)' },
        tags,
        security,
        summary: 'Daily usage of a metric (UTC days, at most 366)',
        params: OrganisationParams,
        querystring: Type.Object({ metric: Metric, from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }),
        response: { 200: Type.Object({ metric: Type.String(), points: Type.Array(Type.Object({ day: Type.String(), value: Type.Number() })) }) },
      },
    },
    async (request) => {
      assertMayActFor(identityOf(request), request.params.organisationId);
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (!(from < to) || to.getTime() - from.getTime() > 366 * 86_400_000) {
        throw new InvalidInputError('BILLING_RANGE_INVALID', 'The range must go forward and span at most 366 days.', { field: 'querystring.to' });
      }
      return { metric: request.query.metric, points: await usageOverTime(domain, { organisationId: request.params.organisationId, metric: request.query.metric, from, to }) };
    },
  );

  app.get(
    '/v1/analytics/revenue',
    {
      preHandler: app.requireIdentity,
      schema: {
        operationId: 'getRevenueAnalytics', problems: { 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)' },
        tags,
        security,
        summary: 'MRR by currency and the plan mix (billing:admin)',
        response: { 200: Type.Object({ mrrCents: Type.Array(Type.Object({ currency: Type.String(), cents: Type.Integer() })), planMix: Type.Array(Type.Object({ planId: Type.String(), organisations: Type.Integer() })) }) },
      },
    },
    async (request) => {
      requireAdmin(identityOf(request));
      return revenue(domain);
    },
  );
}
