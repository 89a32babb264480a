import type { ServiceApp } from '@lift/kit';
import { prometheusTargets } from '../prometheus-targets.js';
import type { RegistryDomain } from '../registry-domain.js';
import { routeTable } from '../route-table.js';
import { PrometheusTargets, RouteTableBody, RouteTableQuery } from '../schemas.js';

const security = [{ bearerAuth: [] }];

/** The gateway's route table (long poll) and Prometheus HTTP service discovery. */
export async function discoveryRoutes(app: ServiceApp, domain: RegistryDomain): Promise<void> {
  app.get(
    '/v1/route-table',
    { preHandler: app.requirePermission('registry:routes'), schema: { operationId: 'getRouteTable', tags: ['discovery'], security, summary: 'Where each module lives and what its routes need (long poll)', querystring: RouteTableQuery, response: { 200: RouteTableBody } } },
    async (request) => {
      const aborted = new AbortController();
      request.raw.once('close', () => aborted.abort());
      return routeTable(domain, request.query.after, request.query.waitMs, aborted.signal);
    },
  );

  // https://prometheus.io/docs/prometheus/latest/http_sd/ — its own format, so its own field names.
  app.get(
    '/v1/prometheus/targets',
    { preHandler: app.requirePermission('registry:read'), schema: { operationId: 'listPrometheusTargets', tags: ['discovery'], security, summary: 'Prometheus http_sd_configs targets of every enabled module', response: { 200: PrometheusTargets } } },
    async () => prometheusTargets(domain),
  );
}
