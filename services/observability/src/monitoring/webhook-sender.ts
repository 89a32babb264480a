import { Agent, buildConnector, request } from 'undici';
import { guardedConnector, retryDelayMs, type AddressPolicy } from '@lift/kit';
import type { DeliveryRow } from '../store/monitoring-store.js';
import { isoAt, type MonitoringDomain } from './monitoring-domain.js';

export interface WebhookSender {
  /** Sends every notification that is due; says how many were delivered. */
  deliverDue(): Promise<number>;
  close(): Promise<void>;
}

const batch = 50;

/**
 * Delivers the notification outbox: one POST per row, 2xx within the timeout is delivered; anything
 * else is tried again after a doubling wait (ALERT_WEBHOOK_RETRY_MS … _MAX_MS) until
 * ALERT_WEBHOOK_MAX_ATTEMPTS, then the row is failed. Every connection is checked against the
 * address policy as it is opened, so a name that now resolves to a private or metadata address is
 * refused even though it passed when the rule was saved. Redirects are never followed.
 */
export function webhookSender(domain: MonitoringDomain, policy: AddressPolicy): WebhookSender {
  const { config } = domain;
  let agent: Agent | undefined;

  const attempt = async (delivery: DeliveryRow): Promise<{ status: number | null; error: string | null }> => {
    agent ??= new Agent({
      connect: guardedConnector({ buildConnector, policy, timeout: config.ALERT_WEBHOOK_TIMEOUT_MS, onRefused: (host, problem) => domain.log.warn({ host, problem }, 'an alert webhook was refused by the address policy') }),
      keepAliveTimeout: 1_000,
    });
    try {
      const answer = await request(delivery.url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'lift-observability-alerts' },
        body: delivery.payload,
        headersTimeout: config.ALERT_WEBHOOK_TIMEOUT_MS,
        bodyTimeout: config.ALERT_WEBHOOK_TIMEOUT_MS,
      });
      await answer.body.dump();
      return { status: answer.statusCode, error: answer.statusCode >= 200 && answer.statusCode < 300 ? null : `answered ${answer.statusCode}` };
    } catch (error) {
      return { status: null, error: `not delivered (${(error as { code?: string }).code ?? (error as Error).name})` };
    }
  };

  const deliverOne = async (delivery: DeliveryRow): Promise<boolean> => {
    const outcome = await attempt(delivery);
    const now = domain.clock.now();
    const attempts = delivery.attempts + 1;
    const delivered = outcome.error === null;
    const state = delivered ? 'delivered' : attempts >= config.ALERT_WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'pending';
    await domain.store.alerts.recordAttempt(delivery.id, {
      state,
      attempts,
      next_attempt_at: isoAt(now + (state === 'pending' ? retryDelayMs(attempts, config.ALERT_WEBHOOK_RETRY_MS, config.ALERT_WEBHOOK_RETRY_MAX_MS) : 0)),
      last_attempt_at: isoAt(now),
      last_status: outcome.status,
      last_error: outcome.error,
      delivered_at: delivered ? isoAt(now) : null,
    });
    if (state === 'failed') domain.log.warn({ deliveryId: delivery.id, alertId: delivery.alert_id, error: outcome.error }, 'an alert notification failed for good');
    return delivered;
  };

  return {
    deliverDue: async () => {
      const due = await domain.store.alerts.dueDeliveries(isoAt(domain.clock.now()), batch);
      const outcomes = await Promise.all(due.map(deliverOne));
      return outcomes.filter(Boolean).length;
    },
    close: async () => {
      await agent?.close();
    },
  };
}
