import { authPlugin, createService, readyOnceDone, serviceTokenVerifier, type DatabaseServiceDeps, type ServiceApp } from '@lift/kit';
import type { BillingDomain } from './billing-domain.js';
import type { BillingConfig } from './config.js';
import { billingIdentity } from './service-identity.js';
import { seedDefaultPlans } from './plans.js';
import { billingStore } from './store/index.js';
import { stripeClient } from './stripe-client.js';
import { stripeMirrorScheduler } from './stripe-mirror-scheduler.js';
import { invoiceEndedPeriods, pushOpenInvoices } from './invoicing.js';
import { billingOrganisationDirectory, type OrganisationDirectory } from './organisation-directory.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import { invoiceRoutes } from './routes/invoice-routes.js';
import { planRoutes } from './routes/plan-routes.js';
import { stripeRoutes } from './routes/stripe-routes.js';
import { subscriptionRoutes } from './routes/subscription-routes.js';
import { usageInboxRoutes } from './routes/usage-inbox-routes.js';
import { usageRoutes } from './routes/usage-routes.js';
import { consumeUsageStream } from './usage-stream-consumer.js';
import type { BillingTables } from './tables.js';

export type { BillingTables };
export type BillingDeps = DatabaseServiceDeps<BillingConfig, BillingTables> & {
  /** Tests draft invoices through POST /v1/invoices/run instead of the timer. */
  readonly invoicingOnTimer?: boolean;
  /** Whether an organisation exists; by default auth is asked (tests pass their own). */
  readonly organisations?: OrganisationDirectory;
};

export async function buildApp(deps: BillingDeps): Promise<ServiceApp> {
  const domain: BillingDomain = { config: deps.config, store: billingStore(deps.database.db, deps.database.location.dialect), clock: deps.clock, log: deps.log, stripe: stripeClient(deps.config), organisations: deps.organisations ?? billingOrganisationDirectory(deps) };
  const stripeMirror = stripeMirrorScheduler(domain);
  // Before anything is built: a missing or short HS256 secret is a configuration error.
  const verifier = serviceTokenVerifier(deps.config, deps.clock);
  const app = await createService({ identity: billingIdentity, config: deps.config, log: deps.log, clock: deps.clock, tracing: deps.tracing });
  await app.register(authPlugin, { verifier });
  await planRoutes(app, domain);
  await usageRoutes(app, domain);
  await usageInboxRoutes(app, domain);
  await subscriptionRoutes(app, domain, stripeMirror);
  await invoiceRoutes(app, domain, stripeMirror);
  await analyticsRoutes(app, domain);
  await stripeRoutes(app, domain);

  // Ready once the default plans exist (seeded after the migrations; idempotent across replicas).
  readyOnceDone(app, { name: 'plans', after: deps.database.migrated, work: () => seedDefaultPlans(domain), log: deps.log, failure: 'seeding the default plans failed' });
  // Ended periods are invoiced within a minute (idempotent: one invoice per organisation and period).
  let invoicingTimer: NodeJS.Timeout | undefined;
  if (deps.invoicingOnTimer !== false) {
    void deps.database.migrated.then(() => {
      invoicingTimer = setInterval(() => {
        invoiceEndedPeriods(domain)
          .then(() => pushOpenInvoices(domain))
          .then(() => stripeMirror.syncAll())
          .catch((error: unknown) => deps.log.error({ err: error }, 'drafting or pushing invoices failed'));
      }, 60_000);
      invoicingTimer.unref();
    });
  }
  // With Redis, internal producers' usage arrives on the event stream; without it, at the inbox route.
  const usageConsumer = deps.state.kind === 'redis' ? deps.database.migrated.then(() => consumeUsageStream(domain, deps.state)) : undefined;
  app.addHook('onClose', async () => {
    clearInterval(invoicingTimer);
    await (await usageConsumer)?.stop();
  });
  app.addHook('onClose', async () => stripeMirror.settled());
  return app;
}
