import type { ServiceApp } from '@lift/kit';
import { receiveAlertmanagerPost } from '../alertmanager-alerts.js';
import { alertmanagerLimits, AlertmanagerWebhookAnswer, AlertmanagerWebhookBody } from '../alertmanager-webhook-schema.js';
import type { MonitoringDomain } from '../monitoring-domain.js';

/** Alertmanager's webhook receiver: its alerts into the alert list. */
export async function alertmanagerRoutes(app: ServiceApp, domain: MonitoringDomain): Promise<void> {
  const receive = app.requirePermission('observability:alertmanager');
  app.post(
    '/v1/alertmanager/webhook',
    {
      bodyLimit: alertmanagerLimits.bodyBytes,
      preHandler: receive,
      // The permission before the body is read: an anonymous client does not get to send megabytes.
      preParsing: async (request, reply, payload) => {
        await receive.call(app, request, reply);
        return payload;
      },
      schema: {
        operationId: 'receiveAlertmanagerWebhook',
        tags: ['alerts'],
        security: [{ bearerAuth: [] }],
        summary: 'Alertmanager\'s webhook (payload version 4): its alerts into the alert list, deduplicated by fingerprint, resolved when it resolves them',
        problems: { 400: 'A label or annotation name that is no label name, a NUL character, or a time that is not RFC 3339 or does not exist (OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID); `field` names it' },
        body: AlertmanagerWebhookBody,
        response: { 200: AlertmanagerWebhookAnswer },
      },
    },
    async (request) => receiveAlertmanagerPost(domain, request.body),
  );
}
