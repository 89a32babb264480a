import { identityOf, type ServiceApp } from '@lift/kit';
import { assertMayActFor, type BillingDomain } from '../billing-domain.js';
import { entitlementsOf } from '../entitlements.js';
import { previewInvoice } from '../invoice-preview.js';
import { EntitlementsBody, InvoicePreviewBody, OrganisationParams, SubscriptionBody, SubscriptionChange } from '../schemas.js';
import type { StripeMirrorScheduler } from '../stripe-mirror-scheduler.js';
import { changeSubscription, subscriptionView } from '../subscriptions.js';

const security = [{ bearerAuth: [] }];

/** An organisation's subscription, what it may still use this period, and what it would pay now. */
export async function subscriptionRoutes(app: ServiceApp, domain: BillingDomain, stripeMirror: StripeMirrorScheduler): Promise<void> {
  app.get('/v1/entitlements/:organisationId', { preHandler: app.requireIdentity, schema: { operationId: 'getEntitlements', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['entitlements'], security, summary: 'Used, included and remaining per metric this period', params: OrganisationParams, response: { 200: EntitlementsBody } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    return entitlementsOf(domain, request.params.organisationId);
  });

  app.get('/v1/subscriptions/:organisationId', { preHandler: app.requirePermission('billing:read'), schema: { operationId: 'getSubscription', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['subscriptions'], security, summary: 'The organisation\'s subscription', params: OrganisationParams, response: { 200: SubscriptionBody } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    return subscriptionView(domain, request.params.organisationId);
  });

  app.patch(
    '/v1/subscriptions/:organisationId',
    { preHandler: app.requirePermission('billing:manage'), schema: { operationId: 'changeSubscription', problems: { 400: 'No such plan, or it takes no new subscriptions (BILLING_PLAN_NOT_FOUND)', 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['subscriptions'], security, summary: 'Change plan (now or at period end), or cancel at period end', params: OrganisationParams, body: SubscriptionChange, response: { 200: SubscriptionBody } } },
    async (request) => {
      assertMayActFor(identityOf(request), request.params.organisationId);
      const changed = await changeSubscription(domain, request.params.organisationId, request.body);
      // Stripe hears of it in the background: the change stands whatever Stripe answers.
      void stripeMirror.sync(request.params.organisationId);
      return changed;
    },
  );

  app.get('/v1/invoices/:organisationId/preview', { preHandler: app.requirePermission('billing:read'), schema: { operationId: 'previewInvoice', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)', 503: 'Billing cannot ask auth whether the organisation exists; retry (BILLING_AUTH_UNAVAILABLE)' }, tags: ['invoices'], security, summary: 'The invoice the current period would produce now', params: OrganisationParams, response: { 200: InvoicePreviewBody } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    return previewInvoice(domain, request.params.organisationId);
  });
}
