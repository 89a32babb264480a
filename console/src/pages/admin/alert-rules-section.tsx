import { useState } from 'preact/hooks';
import { alertRuleKinds, type AlertRule, type AlertRuleKind, type List } from '../../api/types.js';
import { Field, Select } from '../../components/field.js';
import { Empty, ProblemNotice } from '../../components/status.js';
import { Table } from '../../components/table.js';
import { useAction, useResource } from '../../components/use-resource.js';
import { useSession } from '../../session.js';

/** The condition of a rule in words: what makes it fire. */
function condition(rule: AlertRule): string {
  switch (rule.kind) {
    case 'service_down':
      return `not up for ${rule.checks ?? 3} checks in a row`;
    case 'error_rate':
      return `5xx above ${rule.thresholdPercent ?? '?'} % over ${rule.forSeconds ?? 300} s`;
    case 'latency_p95':
      return `p95 above ${rule.thresholdMs ?? '?'} ms over ${rule.forSeconds ?? 300} s`;
    case 'module_unhealthy':
      return 'the registry finds it unhealthy';
  }
}

/** What PUT takes back: the rule as listed, without its bookkeeping. */
function replacement(rule: AlertRule, enabled: boolean) {
  const { name, kind, target, checks, thresholdPercent, thresholdMs, forSeconds, severity, channels } = rule;
  const set = Object.fromEntries(Object.entries({ checks, thresholdPercent, thresholdMs, forSeconds }).filter(([, value]) => value !== null));
  return { name, kind, target, severity, channels, enabled, ...set };
}

/** The alert rules: listed with their conditions; admins add, switch on and off, and delete them. */
export function AlertRulesSection(props: { manage: boolean }) {
  const { api } = useSession();
  const rules = useResource(() => api.get<List<AlertRule>>('/observability/v1/alert-rules'), [api]);
  const [draft, setDraft] = useState({ name: '', kind: 'service_down' as AlertRuleKind, target: '*', threshold: '', severity: 'warning' });
  const action = useAction();
  const toggle = (rule: AlertRule) =>
    action.run(async () => {
      await api.call('PUT', `/observability/v1/alert-rules/${encodeURIComponent(rule.id)}`, replacement(rule, !rule.enabled));
      await rules.reload();
    });
  const remove = (rule: AlertRule) =>
    action.run(async () => {
      if (!window.confirm(`Delete the rule "${rule.name}"? Its open alerts resolve at the next evaluation.`)) return;
      await api.delete(`/observability/v1/alert-rules/${encodeURIComponent(rule.id)}`);
      await rules.reload();
    });
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const threshold = draft.threshold.trim() === '' ? undefined : Number(draft.threshold);
      const measure = draft.kind === 'service_down' ? { checks: threshold } : draft.kind === 'error_rate' ? { thresholdPercent: threshold } : draft.kind === 'latency_p95' ? { thresholdMs: threshold } : {};
      await api.post('/observability/v1/alert-rules', { name: draft.name, kind: draft.kind, target: draft.target.trim() || '*', severity: draft.severity, ...Object.fromEntries(Object.entries(measure).filter(([, value]) => value !== undefined)) });
      setDraft({ ...draft, name: '', threshold: '' });
      await rules.reload();
    });
  };
  const thresholdLabel = { service_down: 'Checks in a row (default 3)', error_rate: '5xx share above, %', latency_p95: 'p95 above, ms', module_unhealthy: '' }[draft.kind];
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">Alert rules</h2>
      <ProblemNotice problem={action.problem ?? rules.problem} />
      {rules.data && rules.data.items.length === 0 ? <Empty>No alert rules.</Empty> : null}
      {rules.data && rules.data.items.length > 0 ? (
        <Table caption="Alert rules" headers={['Rule', 'Target', 'Fires when', 'Severity', 'Enabled', '']}>
          {rules.data.items.map((rule) => (
            <tr key={rule.id}>
              <td>{rule.name}</td>
              <td>{rule.target}</td>
              <td>{condition(rule)}</td>
              <td>{rule.severity}</td>
              <td>{rule.enabled ? 'yes' : 'no'}</td>
              <td class="actions">
                {props.manage ? (
                  <>
                    <button type="button" class="secondary small" disabled={action.busy} onClick={() => void toggle(rule)} aria-label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}>
                      {rule.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" class="danger small" disabled={action.busy} onClick={() => void remove(rule)} aria-label={`Delete ${rule.name}`}>
                      Delete
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {props.manage ? (
        <form class="inline-form" onSubmit={add} aria-label="Add an alert rule">
          <Field id="rule-name" label="Name" required maxLength={120} value={draft.name} onInput={(event) => setDraft({ ...draft, name: event.currentTarget.value })} />
          <Select id="rule-kind" label="Kind" value={draft.kind} options={alertRuleKinds} onChange={(kind) => setDraft({ ...draft, kind: kind as AlertRuleKind, threshold: '' })} />
          <Field id="rule-target" label="Service or module (* for all)" value={draft.target} onInput={(event) => setDraft({ ...draft, target: event.currentTarget.value })} />
          {thresholdLabel ? <Field id="rule-threshold" label={thresholdLabel} type="number" min="0" step="any" required={draft.kind !== 'service_down'} value={draft.threshold} onInput={(event) => setDraft({ ...draft, threshold: event.currentTarget.value })} /> : null}
          <Select id="rule-severity" label="Severity" value={draft.severity} options={['critical', 'warning', 'info']} onChange={(severity) => setDraft({ ...draft, severity })} />
          <button type="submit" disabled={action.busy}>
            Add rule
          </button>
        </form>
      ) : null}
    </section>
  );
}
