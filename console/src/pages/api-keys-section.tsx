import { useState } from 'preact/hooks';
import type { ApiKey, CreatedApiKey, List } from '../api/types.js';
import { Field } from '../components/field.js';
import { dateTime } from '../components/format.js';
import { Empty, Loading, Notice, ProblemNotice } from '../components/status.js';
import { Table } from '../components/table.js';
import { useAction, useResource } from '../components/use-resource.js';
import { useMe, useSession } from '../session.js';

/** What a new key may do unless its creator says otherwise: read and write the organisation's memory. */
const defaultKeyPermissions = ['memory:read', 'memory:write'];

/** The organisation's API keys: a new key is shown once, right after it is made. */
export function ApiKeysSection() {
  const me = useMe();
  const { api } = useSession();
  const [permissions, setPermissions] = useState<readonly string[]>(() => defaultKeyPermissions.filter((permission) => me.permissions.includes(permission)));
  const keys = useResource(() => api.get<List<ApiKey>>('/auth/v1/api-keys'), [api]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);
  const action = useAction();
  const create = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setCreated(await api.post<CreatedApiKey>('/auth/v1/api-keys', { name, permissions }));
      setName('');
      await keys.reload();
    });
  };
  const revoke = (key: ApiKey) =>
    action.run(async () => {
      if (!window.confirm(`Revoke the key "${key.name}"? Requests with it are refused at once.`)) return;
      await api.delete(`/auth/v1/api-keys/${encodeURIComponent(key.id)}`);
      await keys.reload();
    });
  return (
    <section aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">API keys</h2>
      <form class="inline-form" onSubmit={create} aria-label="Create an API key">
        <Field id="api-key-name" label="Name of the new key" required maxLength={100} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        <fieldset>
          <legend>What the key may do (at most what you may)</legend>
          {me.permissions.map((permission) => (
            <label key={permission} class="check">
              <input
                type="checkbox"
                checked={permissions.includes(permission)}
                onChange={(event) => setPermissions(event.currentTarget.checked ? [...permissions, permission] : permissions.filter((held) => held !== permission))}
              />
              {permission}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={action.busy || permissions.length === 0}>
          Create key
        </button>
      </form>
      <ProblemNotice problem={action.problem ?? keys.problem} />
      {created ? (
        <Notice>
          <p>
            The key <strong>{created.name}</strong> — copy it now, it is not shown again:
          </p>
          <code class="secret" data-testid="new-api-key">
            {created.key}
          </code>
        </Notice>
      ) : null}
      {keys.loading && !keys.data ? <Loading what="API keys" /> : null}
      {keys.data && keys.data.items.length === 0 ? <Empty>No API keys yet.</Empty> : null}
      {keys.data && keys.data.items.length > 0 ? (
        <Table caption="API keys" headers={['Name', 'Prefix', 'Created', 'Last used', 'State', '']}>
          {keys.data.items.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}</code>
              </td>
              <td>{dateTime(key.createdAt)}</td>
              <td>{dateTime(key.lastUsedAt)}</td>
              <td>{key.revokedAt ? `revoked ${dateTime(key.revokedAt)}` : 'active'}</td>
              <td>
                {key.revokedAt ? null : (
                  <button type="button" class="danger" disabled={action.busy} onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
