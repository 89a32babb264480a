import { useState } from 'preact/hooks';
import type { List, LogLine } from '../api/types.js';
import { Field, Select } from '../components/field.js';
import { dateTime } from '../components/format.js';
import { Empty, Loading, ProblemNotice } from '../components/status.js';
import { Table } from '../components/table.js';
import { useResource } from '../components/use-resource.js';
import { can, useMe, useSession } from '../session.js';
import { useLiveTail } from './use-live-tail.js';

const levels = ['', 'debug', 'info', 'warn', 'error'] as const;

/** What a log line says about a request: method, path and status of an access line. */
function requestOf(line: LogLine): string {
  const { method, url, status } = line.fields as { method?: unknown; url?: unknown; status?: unknown };
  return typeof method === 'string' && typeof url === 'string' ? `${method} ${url}${status !== undefined ? ` → ${String(status)}` : ''}` : '';
}

/** Log lines, newest first: an organisation's admins see their own organisation's, the platform all (and may follow them live). */
export function LogsPage() {
  const me = useMe();
  const { api } = useSession();
  const [tailing, setTailing] = useState(false);
  const [filters, setFilters] = useState({ q: '', level: '', requestId: '' });
  const [applied, setApplied] = useState(filters);
  const query = new URLSearchParams({ limit: '100', ...Object.fromEntries(Object.entries(applied).filter(([, value]) => value !== '')) }).toString();
  const lines = useResource(() => api.get<List<LogLine>>(`/observability/v1/logs?${query}`), [api, query]);
  const tailQuery = new URLSearchParams(Object.fromEntries(Object.entries(applied).filter(([, value]) => value !== ''))).toString();
  const tail = useLiveTail(tailing, tailQuery);
  const shown = tailing ? tail.lines : (lines.data?.items ?? []);
  const submit = (event: Event) => {
    event.preventDefault();
    setApplied(filters);
  };
  return (
    <>
      <h1>Logs</h1>
      <form class="inline-form" onSubmit={submit} role="search" aria-label="Filter logs">
        <Field id="log-q" label="Text" type="search" value={filters.q} onInput={(event) => setFilters({ ...filters, q: event.currentTarget.value })} />
        <Select id="log-level" label="Level at least" value={filters.level} options={levels.map((level) => ({ value: level, label: level === '' ? 'any' : level }))} onChange={(level) => setFilters({ ...filters, level })} />
        <Field id="log-request" label="Request id" value={filters.requestId} onInput={(event) => setFilters({ ...filters, requestId: event.currentTarget.value })} />
        <button type="submit">Apply</button>
        <button type="button" class="secondary" disabled={tailing} onClick={() => void lines.reload()}>
          Refresh
        </button>
        {can(me, 'observability:read') ? (
          <button type="button" class="secondary" aria-pressed={tailing} onClick={() => setTailing(!tailing)}>
            {tailing ? 'Stop live tail' : 'Live tail'}
          </button>
        ) : null}
      </form>
      {tailing ? (
        <p class="muted small" role="status">
          {tail.connected ? `Live: ${tail.lines.length} new ${tail.lines.length === 1 ? 'line' : 'lines'} so far, newest first.` : 'Connecting…'}
        </p>
      ) : null}
      <ProblemNotice problem={tail.problem} />
      <ProblemNotice problem={lines.problem} />
      {!tailing && lines.loading && !lines.data ? <Loading what="log lines" /> : null}
      {!tailing && lines.data && lines.data.items.length === 0 ? <Empty>No log lines match.</Empty> : null}
      {shown.length > 0 ? (
        <Table caption="Log lines" headers={['Time', 'Service', 'Level', 'Message', 'Request', 'Request id']}>
          {shown.map((line) => (
            <tr key={line.id} class={`level-${line.level}`}>
              <td class="nowrap">{dateTime(line.time)}</td>
              <td>{line.service}</td>
              <td>{line.level}</td>
              <td>{line.msg}</td>
              <td>
                <code>{requestOf(line)}</code>
              </td>
              <td>
                <code class="small">{line.reqId ?? ''}</code>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}
