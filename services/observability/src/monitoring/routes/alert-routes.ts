import { hasPermission, identityOf, type AddressPolicy, type ServiceApp } from '@lift/kit';
import { acknowledgeAlert, resolveAlert } from '../alert-lifecycle.js';
import { alertDeliveries, getAlert, listAlerts } from '../alert-listing.js';
import { alertRuleView, createAlertRule, deleteAlertRule, getAlertRule, replaceAlertRule, withoutSecrets, type AlertRule } from '../alert-rules.js';
import type { MonitoringDomain } from '../monitoring-domain.js';
import { AlertBody, AlertList, AlertQuery, AlertRuleBody, AlertRuleInput, AlertRuleList, DeliveryList, IdParams } from '../monitoring-schemas.js';

const security = [{ bearerAuth: [] }];
const ruleNotFound = { 404: 'No alert rule with that id (OBSERVABILITY_ALERT_RULE_NOT_FOUND)' };
const ruleRefused = { 400: 'Fields that do not fit the kind, or a target that is no service or module id (OBSERVABILITY_ALERT_RULE_INVALID); a channel URL that is not http(s) or points at a refused address (OBSERVABILITY_WEBHOOK_URL_REFUSED)' };
const alertNotFound = { 404: 'No alert with that id (OBSERVABILITY_ALERT_NOT_FOUND)' };

/** Alert rules (managed by observability:admin) and alerts: list, acknowledge, resolve, delivery log. */
export async function alertRoutes(app: ServiceApp, domain: MonitoringDomain, webhookPolicy: AddressPolicy): Promise<void> {
  const read = app.requirePermission('observability:read');
  const admin = app.requirePermission('observability:admin');
  const shown = (rule: AlertRule, canManage: boolean) => (canManage ? rule : withoutSecrets(rule));

  app.get('/v1/alert-rules', { preHandler: read, schema: { operationId: 'listAlertRules', tags: ['alerts'], security, summary: 'Every alert rule, oldest first', response: { 200: AlertRuleList } } }, async (request) => {
    const canManage = hasPermission(identityOf(request), 'observability:admin');
    return { items: (await domain.store.alerts.rules()).map((row) => shown(alertRuleView(row), canManage)), nextCursor: null };
  });
  app.post('/v1/alert-rules', { preHandler: admin, schema: { operationId: 'createAlertRule', problems: ruleRefused, tags: ['alerts'], security, summary: 'Add an alert rule', body: AlertRuleInput, response: { 201: AlertRuleBody } } }, async (request, reply) => {
    reply.code(201);
    return createAlertRule(domain, webhookPolicy, request.body, identityOf(request));
  });
  app.get('/v1/alert-rules/:id', { preHandler: read, schema: { operationId: 'getAlertRule', problems: ruleNotFound, tags: ['alerts'], security, summary: 'One alert rule', params: IdParams, response: { 200: AlertRuleBody } } }, async (request) =>
    shown(alertRuleView(await getAlertRule(domain, request.params.id)), hasPermission(identityOf(request), 'observability:admin')),
  );
  app.put('/v1/alert-rules/:id', { preHandler: admin, schema: { operationId: 'replaceAlertRule', problems: { ...ruleRefused, ...ruleNotFound }, tags: ['alerts'], security, summary: 'Replace an alert rule (its open alerts follow the new condition at the next evaluation)', params: IdParams, body: AlertRuleInput, response: { 200: AlertRuleBody } } }, async (request) =>
    replaceAlertRule(domain, webhookPolicy, request.params.id, request.body, identityOf(request)),
  );
  app.delete('/v1/alert-rules/:id', { preHandler: admin, schema: { operationId: 'deleteAlertRule', problems: ruleNotFound, tags: ['alerts'], security, summary: 'Delete an alert rule (its open alerts resolve at the next evaluation)', params: IdParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    await deleteAlertRule(domain, request.params.id);
    return reply.code(204).send();
  });

  app.get('/v1/alerts', { preHandler: read, schema: { operationId: 'listAlerts', problems: { 400: 'state is none of firing, acknowledged, resolved, or the cursor is not one this service wrote (OBSERVABILITY_INVALID_FILTER)' }, tags: ['alerts'], security, summary: 'Alerts, newest first', querystring: AlertQuery, response: { 200: AlertList } } }, async (request) =>
    listAlerts(domain, request.query),
  );
  app.get('/v1/alerts/:id', { preHandler: read, schema: { operationId: 'getAlert', problems: alertNotFound, tags: ['alerts'], security, summary: 'One alert', params: IdParams, response: { 200: AlertBody } } }, async (request) => getAlert(domain, request.params.id));
  app.post('/v1/alerts/:id/acknowledge', { preHandler: admin, schema: { operationId: 'acknowledgeAlert', problems: { ...alertNotFound, 409: 'The alert is resolved (OBSERVABILITY_ALERT_RESOLVED) or acknowledged already (OBSERVABILITY_ALERT_ALREADY_ACKNOWLEDGED)' }, tags: ['alerts'], security, summary: 'Say someone is on it (firing → acknowledged)', params: IdParams, response: { 200: AlertBody } } }, async (request) =>
    acknowledgeAlert(domain, request.params.id, identityOf(request)),
  );
  app.post('/v1/alerts/:id/resolve', { preHandler: admin, schema: { operationId: 'resolveAlert', problems: { ...alertNotFound, 409: 'The alert is resolved already (OBSERVABILITY_ALERT_RESOLVED)' }, tags: ['alerts'], security, summary: 'Close an alert by hand (it opens again at the next evaluation if its condition still holds)', params: IdParams, response: { 200: AlertBody } } }, async (request) =>
    resolveAlert(domain, request.params.id, identityOf(request)),
  );
  app.get('/v1/alerts/:id/deliveries', { preHandler: read, schema: { operationId: 'listAlertDeliveries', problems: alertNotFound, tags: ['alerts'], security, summary: 'The notifications of an alert: where, how often tried, with what result', params: IdParams, response: { 200: DeliveryList } } }, async (request) => ({
    items: await alertDeliveries(domain, request.params.id),
    nextCursor: null,
  }));
}
