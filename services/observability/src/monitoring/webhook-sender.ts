import { Agent, buildConnector, request } from 'undici';
import { closeIdleConnectionsAfter, guardedConnector, retryDelayMs, type AddressPolicy } from '@lift/kit';
import type { DeliveryRow } from '../store/monitoring-store.js';
import { isoAt, type MonitoringDomain } from './monitoring-domain.js';

export interface WebhookSender {
  /**
   * Claims every notification that is due and sends each; settles when all of them have an
   * outcome (at most ALERT_WEBHOOK_TIMEOUT_MS after they started), with how many were delivered.
   * Never rejects. Safe to call while an earlier call is still sending: what is in flight is claimed.
   */
  deliverDue(): Promise<number>;
  /** Aborts what is in flight and closes the connections. */
  close(): Promise<void>;
}

const batch = 50;

/**
 * Delivers the notification outbox: one POST per row, 2xx within ALERT_WEBHOOK_TIMEOUT_MS is
 * delivered; anything else is tried again after a doubling wait (ALERT_WEBHOOK_RETRY_MS … _MAX_MS)
 * until ALERT_WEBHOOK_MAX_ATTEMPTS, then the row is failed.
 *
 * The timeout is a hard deadline over the whole attempt — connecting, the answer's headers and its
 * body — not undici's idle timers, which a receiver sending a byte now and then resets for ever.
 * A row is claimed before it is sent (a conditional update only one replica wins), for twice the
 * timeout: several replicas never send one row at once, and a row whose sender died is sent again
 * after the claim lapses, so generic webhooks are at least once (receivers drop repeats by
 * deliveryId).
 *
 * Every connection is checked against the address policy as it is opened, so a name that now
 * resolves to a private or metadata address is refused even though it passed when the rule was
 * saved. Redirects are never followed.
 */
export function webhookSender(domain: MonitoringDomain, policy: AddressPolicy): WebhookSender {
  const { config } = domain;
  const timeoutMs = config.ALERT_WEBHOOK_TIMEOUT_MS;
  let agent: Agent | undefined;
  // This replica's own sends, whatever the clock says of their claims (a clock jump must not send a row twice).
  const inFlight = new Set<string>();
  const closing = new AbortController();

  const attempt = async (delivery: DeliveryRow): Promise<{ status: number | null; error: string | null }> => {
    agent ??= new Agent({
      connect: guardedConnector({ buildConnector, policy, timeout: timeoutMs, onRefused: (host, problem) => domain.log.warn({ host, problem }, 'an alert webhook was refused by the address policy') }),
      ...closeIdleConnectionsAfter(1_000),
    });
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const answer = await request(delivery.url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'lift-observability-alerts' },
        body: delivery.payload,
        signal: AbortSignal.any([deadline, closing.signal]),
      });
      await answer.body.dump({ signal: AbortSignal.any([deadline, closing.signal]), limit: 64 * 1024 });
      if (deadline.aborted) return { status: answer.statusCode, error: `did not finish within ${timeoutMs} ms` };
      return { status: answer.statusCode, error: answer.statusCode >= 200 && answer.statusCode < 300 ? null : `answered ${answer.statusCode}` };
    } catch (error) {
      if (deadline.aborted) return { status: null, error: `did not finish within ${timeoutMs} ms` };
      if (closing.signal.aborted) return { status: null, error: 'interrupted by shutdown' };
      return { status: null, error: `not delivered (${(error as { code?: string }).code ?? (error as Error).name})` };
    }
  };

  const deliverOne = async (delivery: DeliveryRow): Promise<boolean> => {
    const claimedAt = domain.clock.now();
    if (!(await domain.store.alerts.claimDelivery(delivery, isoAt(claimedAt), isoAt(claimedAt + 2 * timeoutMs)))) return false;
    inFlight.add(delivery.id);
    try {
      const outcome = await attempt(delivery);
      const now = domain.clock.now();
      const attempts = delivery.attempts + 1;
      const delivered = outcome.error === null;
      const state = delivered ? 'delivered' : attempts >= config.ALERT_WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'pending';
      const recorded = await domain.store.alerts.recordAttempt(delivery.id, attempts, {
        state,
        // Interrupted by shutdown: due again at once, for whichever replica runs on.
        next_attempt_at: isoAt(now + (state === 'pending' && !closing.signal.aborted ? retryDelayMs(attempts, config.ALERT_WEBHOOK_RETRY_MS, config.ALERT_WEBHOOK_RETRY_MAX_MS) : 0)),
        last_status: outcome.status,
        last_error: outcome.error,
        delivered_at: delivered ? isoAt(now) : null,
      });
      if (!recorded) domain.log.warn({ deliveryId: delivery.id }, 'an alert notification took longer than its claim; another sender has taken it over');
      else if (state === 'failed') domain.log.warn({ deliveryId: delivery.id, alertId: delivery.alert_id, error: outcome.error }, 'an alert notification failed for good');
      return delivered && recorded;
    } finally {
      inFlight.delete(delivery.id);
    }
  };

  const deliverDue = async (): Promise<number> => {
    const due = (await domain.store.alerts.dueDeliveries(isoAt(domain.clock.now()), batch)).filter((delivery) => !inFlight.has(delivery.id));
    const outcomes = await Promise.all(due.map(deliverOne));
    return outcomes.filter(Boolean).length;
  };

  const running = new Set<Promise<number>>();
  return {
    deliverDue: () => {
      if (closing.signal.aborted) return Promise.resolve(0);
      const pass = deliverDue().catch((error: unknown) => {
        domain.log.error({ err: error }, 'sending alert notifications failed');
        return 0;
      });
      running.add(pass);
      void pass.finally(() => running.delete(pass));
      return pass;
    },
    close: async () => {
      closing.abort();
      // Each records its interruption before the database closes.
      await Promise.all(running);
      await agent?.close();
    },
  };
}
