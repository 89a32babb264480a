import { InvalidInputError, NotFoundError } from '@lift/kit';
import type { AlertPosition } from '../store/monitoring-store.js';
import { alertView, type Alert } from './alert-notifications.js';
import type { MonitoringDomain } from './monitoring-domain.js';
import { monitoringErrorCodes } from './monitoring-errors.js';
import type { AlertState } from './monitoring-tables.js';

const alertStates: readonly AlertState[] = ['firing', 'acknowledged', 'resolved'];

function positionFrom(cursor: string): AlertPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) return { firedAt: parsed[0] as string, id: parsed[1] as string };
  } catch {
    // Answered below like any other cursor this service did not write.
  }
  throw new InvalidInputError(monitoringErrorCodes.badFilter, 'cursor is not one this service wrote; pass nextCursor from the previous page as it is.', { field: 'querystring.cursor' });
}

/** Alerts newest first, optionally in one state, a page at a time. */
export async function listAlerts(domain: MonitoringDomain, query: { state?: string | undefined; limit: number; cursor?: string | undefined }): Promise<{ items: Alert[]; nextCursor: string | null }> {
  if (query.state !== undefined && !alertStates.includes(query.state as AlertState)) {
    throw new InvalidInputError(monitoringErrorCodes.badFilter, `state "${query.state}" is none of ${alertStates.join(', ')}.`, { field: 'querystring.state' });
  }
  const rows = await domain.store.alerts.listAlerts({
    ...(query.state ? { state: query.state as AlertState } : {}),
    ...(query.cursor ? { after: positionFrom(query.cursor) } : {}),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(alertView), nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.fired_at, last.id])).toString('base64url') : null };
}

export async function getAlert(domain: MonitoringDomain, id: string): Promise<Alert> {
  const row = await domain.store.alerts.alert(id);
  if (!row) throw new NotFoundError(monitoringErrorCodes.alertNotFound, `No alert ${id}; GET /v1/alerts lists them.`);
  return alertView(row);
}

/** The notifications sent (or still to send) for an alert: the delivery log. */
export async function alertDeliveries(domain: MonitoringDomain, id: string) {
  await getAlert(domain, id);
  const origin = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return '';
    }
  };
  return (await domain.store.alerts.deliveriesOf(id)).map((row) => ({
    id: row.id,
    event: row.event,
    channel: { type: row.channel_type, url: origin(row.url) },
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  }));
}
