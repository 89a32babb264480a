import { useState } from 'preact/hooks';
import { ApiProblem } from '../../api/problem.js';
import type { List, ModuleHealth, RegisteredModule } from '../../api/types.js';
import { dateTime } from '../../components/format.js';
import { Empty, Loading, Notice, ProblemNotice } from '../../components/status.js';
import { Table } from '../../components/table.js';
import { useAction, useResource } from '../../components/use-resource.js';
import { useSession } from '../../session.js';
import { StateBadge } from './state-badge.js';

/** The registry: every module with its state and health history; register, enable, disable, deregister. */
export default function ModulesPage() {
  const { api } = useSession();
  const modules = useResource(() => api.get<List<RegisteredModule>>('/registry/v1/modules?limit=100'), [api]);
  const [manifest, setManifest] = useState('');
  const [history, setHistory] = useState<{ moduleId: string; health: ModuleHealth } | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const action = useAction();
  const register = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      let body: unknown;
      try {
        body = JSON.parse(manifest);
      } catch (error) {
        throw new ApiProblem(0, 'The manifest is not JSON', (error as Error).message, undefined, undefined);
      }
      const created = await api.post<RegisteredModule>('/registry/v1/modules', body);
      setDone(`Registered ${created.name} (${created.moduleId}).`);
      setManifest('');
      await modules.reload();
    });
  };
  const change = (module: RegisteredModule, verb: 'enable' | 'disable' | 'deregister') =>
    action.run(async () => {
      const id = encodeURIComponent(module.moduleId);
      if (verb === 'deregister') {
        if (!window.confirm(`Deregister ${module.name}? Its routes stop at once.`)) return;
        await api.delete(`/registry/v1/modules/${id}`);
      } else await api.post(`/registry/v1/modules/${id}/${verb}`);
      setDone(`${module.name}: ${verb}d.`);
      await modules.reload();
    });
  const showHistory = (module: RegisteredModule) =>
    action.run(async () => setHistory({ moduleId: module.moduleId, health: await api.get<ModuleHealth>(`/registry/v1/modules/${encodeURIComponent(module.moduleId)}/health`) }));
  return (
    <>
      <h1>Modules</h1>
      <ProblemNotice problem={action.problem ?? modules.problem} />
      {done ? <Notice>{done}</Notice> : null}
      {modules.loading && !modules.data ? <Loading what="modules" /> : null}
      {modules.data && modules.data.items.length === 0 ? <Empty>No modules registered yet.</Empty> : null}
      {modules.data && modules.data.items.length > 0 ? (
        <Table caption="Registered modules" headers={['Module', 'Version', 'Status', 'Enabled', 'Last check', '']}>
          {modules.data.items.map((module) => (
            <tr key={module.moduleId}>
              <td>
                <strong>{module.name}</strong> <code class="small">{module.moduleId}</code>
                <br />
                <span class="small muted">{module.baseUrl}</span>
              </td>
              <td>{module.version}</td>
              <td>
                <StateBadge state={module.status} />
                {module.lastError ? <p class="small muted">{module.lastError}</p> : null}
              </td>
              <td>{module.enabled ? 'yes' : 'no'}</td>
              <td>{dateTime(module.lastCheckedAt)}</td>
              <td class="actions">
                <button type="button" class="secondary small" disabled={action.busy} onClick={() => void showHistory(module)}>
                  Health history
                </button>
                <button type="button" class="secondary small" disabled={action.busy} onClick={() => void change(module, module.enabled ? 'disable' : 'enable')}>
                  {module.enabled ? 'Disable' : 'Enable'}
                </button>
                <button type="button" class="danger small" disabled={action.busy} onClick={() => void change(module, 'deregister')}>
                  Deregister
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {history ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">Health history of {history.moduleId}</h2>
          {history.health.recent.length === 0 ? <Empty>No checks yet.</Empty> : null}
          <ol class="history">
            {history.health.recent.map((check) => (
              <li key={check.checkedAt}>
                {dateTime(check.checkedAt)} — <StateBadge state={check.ok ? 'healthy' : 'unhealthy'} /> {check.latencyMs === null ? '' : `${check.latencyMs} ms`} {check.detail ?? ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="register-heading">
        <h2 id="register-heading">Register a module</h2>
        <form onSubmit={register} aria-label="Register a module">
          <div class="field">
            <label for="manifest">Manifest (module.json)</label>
            <textarea id="manifest" class="manifest" rows={10} required value={manifest} onInput={(event) => setManifest(event.currentTarget.value)} aria-describedby="manifest-hint" />
            <p id="manifest-hint" class="muted small">
              The module's manifest as JSON, like modules/_template/module.json.
            </p>
          </div>
          <button type="submit" disabled={action.busy}>
            Register
          </button>
        </form>
      </section>
    </>
  );
}
