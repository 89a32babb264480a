import { useState } from 'preact/hooks';
import type { Alert, List } from '../../api/types.js';
import { Select } from '../../components/field.js';
import { dateTime } from '../../components/format.js';
import { Empty, Loading, ProblemNotice } from '../../components/status.js';
import { Table } from '../../components/table.js';
import { usePolling } from '../../components/use-polling.js';
import { useAction } from '../../components/use-resource.js';
import { can, useMe, useSession } from '../../session.js';
import { AlertRulesSection } from './alert-rules-section.js';
import { StateBadge } from './state-badge.js';

const states = ['open', 'firing', 'acknowledged', 'resolved', 'all'] as const;

/** Alerts (acknowledge, resolve), refreshed while open, and the rules that raise them. */
export default function AlertsPage() {
  const me = useMe();
  const { api } = useSession();
  const manage = can(me, 'observability:admin');
  const [state, setState] = useState<(typeof states)[number]>('open');
  const [alerts, setAlerts] = useState<readonly Alert[] | undefined>(undefined);
  const action = useAction();
  const load = async () => {
    // "open" is what needs someone: firing and acknowledged.
    const wanted = state === 'open' ? ['firing', 'acknowledged'] : state === 'all' ? [undefined] : [state];
    const pages = await Promise.all(wanted.map((one) => api.get<List<Alert>>(`/observability/v1/alerts?limit=100${one ? `&state=${one}` : ''}`)));
    setAlerts(pages.flatMap((page) => page.items).sort((a, b) => b.firedAt.localeCompare(a.firedAt)));
  };
  usePolling(() => action.run(load), 5_000);
  const act = (alert: Alert, verb: 'acknowledge' | 'resolve') =>
    action.run(async () => {
      await api.post(`/observability/v1/alerts/${encodeURIComponent(alert.id)}/${verb}`);
      await load();
    });
  return (
    <>
      <h1>Alerts</h1>
      <div class="inline-form">
        <Select id="alert-state" label="Show" value={state} options={states} onChange={(value) => { setState(value as (typeof states)[number]); setAlerts(undefined); }} />
      </div>
      <ProblemNotice problem={action.problem} />
      {!alerts ? <Loading what="alerts" /> : null}
      {alerts && alerts.length === 0 ? <Empty>No {state === 'all' ? '' : `${state} `}alerts.</Empty> : null}
      {alerts && alerts.length > 0 ? (
        <Table caption="Alerts" headers={['Severity', 'Alert', 'State', 'Fired', 'Acknowledged', '']}>
          {alerts.map((alert) => (
            <tr key={alert.id}>
              <td>{alert.severity}</td>
              <td>
                <strong>{alert.ruleName}</strong>
                <br />
                {alert.summary}
              </td>
              <td>
                <StateBadge state={alert.state} />
              </td>
              <td>{dateTime(alert.firedAt)}</td>
              <td>{alert.acknowledgedAt ? `${dateTime(alert.acknowledgedAt)}${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}` : '—'}</td>
              <td class="actions">
                {manage && alert.state === 'firing' ? (
                  <button type="button" disabled={action.busy} onClick={() => void act(alert, 'acknowledge')} aria-label={`Acknowledge ${alert.summary}`}>
                    Acknowledge
                  </button>
                ) : null}
                {manage && alert.state !== 'resolved' ? (
                  <button type="button" class="secondary" disabled={action.busy} onClick={() => void act(alert, 'resolve')} aria-label={`Resolve ${alert.summary}`}>
                    Resolve
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <AlertRulesSection manage={manage} />
    </>
  );
}
