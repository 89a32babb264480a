import type { ServiceApp } from '@lift/kit';
import type { MonitoringDomain } from '../monitoring-domain.js';
import { OverviewBody, ServiceHealthDetail, ServiceHealthList, ServiceParams, StatusBody } from '../monitoring-schemas.js';
import { platformOverview, publicStatus, serviceHealth, serviceHealthDetail } from '../platform-overview.js';

const security = [{ bearerAuth: [] }];

/** The public status page, service health over time and the overview. */
export async function healthRoutes(app: ServiceApp, domain: MonitoringDomain): Promise<void> {
  const read = app.requirePermission('observability:read');
  app.get('/v1/status', { schema: { operationId: 'getPlatformStatus', tags: ['status'], security: [], summary: 'Whether the platform is up: each service\'s and module\'s name and state, nothing else (public)', response: { 200: StatusBody } } }, async () =>
    publicStatus(domain),
  );
  app.get('/v1/health/services', { preHandler: read, schema: { operationId: 'listServiceHealth', tags: ['health'], security, summary: 'Each service\'s state, uptime and response-time percentiles over 1 h, 24 h and 7 d', response: { 200: ServiceHealthList } } }, async () => ({
    items: await serviceHealth(domain),
    nextCursor: null,
  }));
  app.get('/v1/health/services/:service', { preHandler: read, schema: { operationId: 'getServiceHealth', problems: { 404: 'No such service (OBSERVABILITY_TARGET_NOT_FOUND)' }, tags: ['health'], security, summary: 'One service\'s health, with its latest checks', params: ServiceParams, response: { 200: ServiceHealthDetail } } }, async (request) =>
    serviceHealthDetail(domain, request.params.service),
  );
  app.get('/v1/overview', { preHandler: read, schema: { operationId: 'getOverview', tags: ['health'], security, summary: 'States of all services and modules, request rate, error rate, p95 latency and open alerts', response: { 200: OverviewBody } } }, async () =>
    platformOverview(domain),
  );
}
