import { Type } from '@sinclair/typebox';
import { identityOf, type ServiceApp } from '@lift/kit';
import { assertMayActFor, requireAdmin, type BillingDomain } from '../billing-domain.js';
import { getInvoice, invoiceEndedPeriods, listInvoices, pushOpenInvoices, transitionInvoice } from '../invoicing.js';
import { OrganisationParams } from '../schemas.js';
import type { StripeMirrorScheduler } from '../stripe-mirror-scheduler.js';

const security = [{ bearerAuth: [] }];
const tags = ['invoices'];
const InvoiceParams = Type.Object({ organisationId: Type.String({ minLength: 1, maxLength: 64 }), invoiceId: Type.String({ format: 'uuid' }) });
const Invoice = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  number: Type.Union([Type.Integer(), Type.Null()], { description: 'assigned when finalized; consecutive without gaps' }),
  planId: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  currency: Type.String(),
  lines: Type.Array(Type.Object({ description: Type.String(), metric: Type.Union([Type.String(), Type.Null()]), quantity: Type.Integer(), unitPriceCents: Type.Integer(), amountCents: Type.Integer() })),
  subtotalCents: Type.Integer(),
  totalCents: Type.Integer(),
  status: Type.Union(['draft', 'open', 'paid', 'void'].map((status) => Type.Literal(status))),
  createdAt: Type.String(),
  finalizedAt: Type.Union([Type.String(), Type.Null()]),
  paidAt: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String(), Type.Null()]),
  stripeInvoiceId: Type.Union([Type.String(), Type.Null()], { description: 'set once pushed to Stripe' }),
});

export async function invoiceRoutes(app: ServiceApp, domain: BillingDomain, stripeMirror: StripeMirrorScheduler): Promise<void> {
  app.post('/v1/invoices/run', { preHandler: app.requireIdentity, schema: { operationId: 'runInvoicing', problems: { 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)' }, tags, security, summary: 'The invoicing timer\'s work now: draft the invoices of every ended period, push open ones and subscription changes to Stripe (billing:admin)', response: { 200: Type.Object({ drafted: Type.Integer() }) } } }, async (request) => {
    requireAdmin(identityOf(request));
    const drafted = await invoiceEndedPeriods(domain);
    await pushOpenInvoices(domain);
    await stripeMirror.syncAll();
    return { drafted };
  });

  app.get('/v1/invoices/:organisationId', { preHandler: app.requirePermission('billing:read'), schema: { operationId: 'listInvoices', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND)' }, tags, security, summary: 'The organisation\'s invoices, newest first', params: OrganisationParams, response: { 200: Type.Object({ items: Type.Array(Invoice), nextCursor: Type.Null() }) } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    return { items: await listInvoices(domain, request.params.organisationId), nextCursor: null };
  });

  app.get('/v1/invoices/:organisationId/:invoiceId', { preHandler: app.requirePermission('billing:read'), schema: { operationId: 'getInvoice', problems: { 404: 'No billing data for that organisation among those the token acts for, or auth does not know it (BILLING_SUBSCRIPTION_NOT_FOUND); or no such invoice (BILLING_INVOICE_NOT_FOUND)' }, tags, security, summary: 'One invoice', params: InvoiceParams, response: { 200: Invoice } } }, async (request) => {
    assertMayActFor(identityOf(request), request.params.organisationId);
    return getInvoice(domain, request.params.organisationId, request.params.invoiceId);
  });

  for (const action of ['finalize', 'pay', 'void'] as const) {
    app.post(`/v1/invoices/:organisationId/:invoiceId/${action}`, { preHandler: app.requireIdentity, schema: { operationId: `${action}Invoice`, problems: { 403: 'The token is not the platform organisation\'s with billing:admin (AUTH_PERMISSION_MISSING)', 404: 'No such invoice for this organisation (BILLING_INVOICE_NOT_FOUND)', 409: 'The invoice\'s status does not allow this (BILLING_INVOICE_STATE)' }, tags, security, summary: `${action} an invoice (billing:admin)`, params: InvoiceParams, response: { 200: Invoice } } }, async (request) => {
      requireAdmin(identityOf(request));
      const invoice = await transitionInvoice(domain, request.params.organisationId, request.params.invoiceId, action);
      if (action !== 'finalize') return invoice;
      await pushOpenInvoices(domain, invoice.id);
      return getInvoice(domain, request.params.organisationId, invoice.id);
    });
  }
}
