import type Stripe from 'stripe';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ServiceApp } from '@lift/kit';
import type { BillingDomain } from '../billing-domain.js';
import { receiveStripeWebhook } from '../stripe-webhook.js';

/**
 * POST /v1/webhooks/stripe, present only when STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET are set.
 * Stripe authenticates by signature, not by token; the body is kept raw for the signature check.
 */
export async function stripeRoutes(app: ServiceApp, domain: BillingDomain): Promise<void> {
  const { STRIPE_API_KEY: apiKey, STRIPE_WEBHOOK_SECRET: secret } = domain.config;
  if (!apiKey || !secret) return;
  const stripe = (await domain.stripe) as Stripe;
  await app.register(async (scope: FastifyInstance) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body));
    scope.post(
      '/v1/webhooks/stripe',
      {
        schema: {
          operationId: 'receiveStripeEvent',
          tags: ['stripe'],
          security: [],
          summary: 'Stripe events, verified by their signature',
          response: { 200: Type.Object({ received: Type.Boolean(), duplicate: Type.Boolean(), applied: Type.Boolean() }) },
          // The body is kept raw by a parser of its own: its 413 and 415 say what that parser refuses (the kit adds none).
          problems: {
            400: 'The Stripe-Signature header is missing, too old or does not match the body (BILLING_STRIPE_SIGNATURE_INVALID)',
            413: 'The body is over 1 MiB (REQUEST_BODY_TOO_LARGE)',
            415: 'The body is not application/json (REQUEST_UNSUPPORTED_MEDIA_TYPE)',
          },
        },
      },
      async (request) => {
        const signature = request.headers['stripe-signature'];
        return receiveStripeWebhook(domain, stripe, secret, request.body as Buffer, Array.isArray(signature) ? signature[0] : signature);
      },
    );
  });
}
