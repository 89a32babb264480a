import { identityOf, InvalidInputError, type ServiceApp } from '@lift/kit';
import { requireAdmin, type BillingDomain } from '../billing-domain.js';
import { PlanInput } from '../plan-schema.js';
import { archivePlan, createPlan, getPlan, listPlans, updatePlan } from '../plans.js';
import { PlanBody, PlanList, PlanParams, PlanQuery } from '../schemas.js';

const tags = ['plans'];
const security = [{ bearerAuth: [] }];

/** Plans are platform-level: anyone signed in reads them; billing:admin of the platform changes them. */
export async function planRoutes(app: ServiceApp, domain: BillingDomain): Promise<void> {
  app.get('/v1/plans', { preHandler: app.requireIdentity, schema: { operationId: 'listPlans', tags, security, summary: 'The plans on offer', querystring: PlanQuery, response: { 200: PlanList } } }, async (request) => ({
    items: await listPlans(domain, request.query.includeArchived),
    nextCursor: null,
  }));
  app.get('/v1/plans/:planId', { preHandler: app.requireIdentity, schema: { operationId: 'getPlan', problems: { 404: 'No such plan (BILLING_PLAN_NOT_FOUND)' }, tags, security, summary: 'One plan', params: PlanParams, response: { 200: PlanBody } } }, async (request) => getPlan(domain, request.params.planId));
  app.post('/v1/plans', { preHandler: app.requireIdentity, schema: { operationId: 'createPlan', problems: { 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)', 409: 'A plan with this id exists (BILLING_PLAN_EXISTS)' }, tags, security, summary: 'Create a plan (billing:admin)', body: PlanInput, response: { 201: PlanBody } } }, async (request, reply) => {
    requireAdmin(identityOf(request));
    reply.code(201);
    return createPlan(domain, request.body);
  });
  app.put('/v1/plans/:planId', { preHandler: app.requireIdentity, schema: { operationId: 'updatePlan', problems: { 400: 'The body is another plan (BILLING_PLAN_ID_MISMATCH)', 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)', 404: 'No such plan (BILLING_PLAN_NOT_FOUND)' }, tags, security, summary: 'Change a plan\'s terms (billing:admin)', params: PlanParams, body: PlanInput, response: { 200: PlanBody } } }, async (request) => {
    requireAdmin(identityOf(request));
    if (request.body.id !== request.params.planId) throw new InvalidInputError('BILLING_PLAN_ID_MISMATCH', `The body is plan "${request.body.id}", not "${request.params.planId}".`, { field: 'body.id' });
    return updatePlan(domain, request.params.planId, request.body);
  });
  app.delete('/v1/plans/:planId', { preHandler: app.requireIdentity, schema: { operationId: 'archivePlan', problems: { 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)', 404: 'No such plan (BILLING_PLAN_NOT_FOUND)' }, tags, security, summary: 'Archive a plan: no new subscriptions (billing:admin)', params: PlanParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    requireAdmin(identityOf(request));
    await archivePlan(domain, request.params.planId);
    return reply.code(204).send();
  });
}
