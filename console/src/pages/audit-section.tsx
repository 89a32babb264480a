import { useState } from 'preact/hooks';
import type { AuditEvent, List } from '../api/types.js';
import { dateTime } from '../components/format.js';
import { Empty, Loading, ProblemNotice } from '../components/status.js';
import { Table } from '../components/table.js';
import { useAction, useResource } from '../components/use-resource.js';
import { useSession } from '../session.js';

/** Who did what to whom, newest first, a page at a time. */
export function AuditSection() {
  const { api } = useSession();
  const first = useResource(() => api.get<List<AuditEvent>>('/auth/v1/audit-events?limit=25'), [api]);
  const [more, setMore] = useState<{ items: AuditEvent[]; cursor: string | null | undefined }>({ items: [], cursor: undefined });
  const action = useAction();
  const cursor = more.cursor === undefined ? first.data?.nextCursor : more.cursor;
  const loadMore = () =>
    action.run(async () => {
      const page = await api.get<List<AuditEvent>>(`/auth/v1/audit-events?limit=25&cursor=${encodeURIComponent(cursor ?? '')}`);
      setMore({ items: [...more.items, ...page.items], cursor: page.nextCursor ?? null });
    });
  const events = [...(first.data?.items ?? []), ...more.items];
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <ProblemNotice problem={action.problem ?? first.problem} />
      {first.loading && !first.data ? <Loading what="the audit log" /> : null}
      {first.data && events.length === 0 ? <Empty>Nothing recorded yet.</Empty> : null}
      {events.length > 0 ? (
        <Table caption="Audit log" headers={['When', 'Action', 'Target', 'By', 'From']}>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{dateTime(event.createdAt)}</td>
              <td>{event.action}</td>
              <td>{event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}</td>
              <td>{event.actorId ?? '—'}</td>
              <td>{event.ip ?? '—'}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" disabled={action.busy} onClick={() => void loadMore()}>
          Load older events
        </button>
      ) : null}
    </section>
  );
}
