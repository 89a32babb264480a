import type { ServiceApp } from '@lift/kit';
import { Gauge } from 'prom-client';
import { prometheusTargets } from '../prometheus-targets.js';
import type { RegistryDomain } from '../registry-domain.js';
import { routeTable } from '../route-table.js';
import { PrometheusTargets, RouteTableBody, RouteTableQuery } from '../schemas.js';

const security = [{ bearerAuth: [] }];

/** The gateway's route table (long poll) and Prometheus HTTP service discovery. */
export async function discoveryRoutes(app: ServiceApp, domain: RegistryDomain): Promise<void> {
  // Long polls end when the service starts closing: each would otherwise hold the shutdown for
  // its whole wait (the gateway's poll lasts up to 30 s), and the poller is answered now, with the
  // table as it stands, so it asks again (another replica, or this one once it is back).
  const waiting = new Set<AbortController>();
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    for (const wait of waiting) wait.abort();
    done();
  });
  new Gauge({
    name: 'registry_route_table_waiting_polls',
    help: 'Route-table long polls held open, waiting for a change (the gateway and auth each keep one)',
    registers: [app.metrics],
    collect() {
      this.set(waiting.size);
    },
  });
  app.get(
    '/v1/route-table',
    // longLived: a poll that waits its 25 s is not a slow answer; counted, not timed.
    { preHandler: app.requirePermission('registry:routes'), config: { longLived: true }, schema: { operationId: 'getRouteTable', tags: ['discovery'], security, summary: 'Where each module lives and what its routes need (long poll)', querystring: RouteTableQuery, response: { 200: RouteTableBody } } },
    async (request) => {
      const aborted = new AbortController();
      // A poll that was still in its (async) permission check when the close began is not in
      // `waiting` for the preClose hook to end: it answers at once instead of holding the close.
      if (closing) aborted.abort();
      request.raw.once('close', () => aborted.abort());
      waiting.add(aborted);
      try {
        return await routeTable(domain, request.query.after, request.query.waitMs, aborted.signal);
      } finally {
        waiting.delete(aborted);
      }
    },
  );

  // https://prometheus.io/docs/prometheus/latest/http_sd/ — its own format, so its own field names.
  app.get(
    '/v1/prometheus/targets',
    { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listPrometheusTargets', tags: ['discovery'], security, summary: 'Prometheus http_sd_configs targets of every enabled module', response: { 200: PrometheusTargets } } },
    async () => prometheusTargets(domain),
  );
}
