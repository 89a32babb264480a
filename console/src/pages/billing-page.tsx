import { useState } from 'preact/hooks';
import type { Entitlements, Invoice, List, Plan, Subscription } from '../api/types.js';
import { Select } from '../components/field.js';
import { date, money } from '../components/format.js';
import { Empty, Loading, Notice, ProblemNotice } from '../components/status.js';
import { Table } from '../components/table.js';
import { useAction, useResource } from '../components/use-resource.js';
import { can, useMe, useSession } from '../session.js';
import { UsageBar } from './usage-bar.js';

/** The organisation's plan, this period's usage against what the plan includes, and its invoices. */
export function BillingPage() {
  const me = useMe();
  const { api } = useSession();
  const organisation = encodeURIComponent(me.organisationId);
  const subscription = useResource(() => api.get<Subscription>(`/billing/v1/subscriptions/${organisation}`), [api, organisation]);
  const entitlements = useResource(() => api.get<Entitlements>(`/billing/v1/entitlements/${organisation}`), [api, organisation]);
  const invoices = useResource(() => api.get<List<Invoice>>(`/billing/v1/invoices/${organisation}`), [api, organisation]);
  const plans = useResource(() => api.get<List<Plan>>('/billing/v1/plans'), [api]);
  const [chosen, setChosen] = useState('');
  const [changed, setChanged] = useState<string | undefined>(undefined);
  const action = useAction();
  const plan = plans.data?.items.find((candidate) => candidate.id === subscription.data?.planId);
  const changePlan = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api.patch(`/billing/v1/subscriptions/${organisation}`, { planId: chosen, effective: 'now' });
      setChanged(`Your organisation is now on ${chosen}.`);
      await Promise.all([subscription.reload(), entitlements.reload()]);
    });
  };
  const offered = (plans.data?.items ?? []).filter((candidate) => !candidate.archived && candidate.id !== subscription.data?.planId);
  return (
    <>
      <h1>Billing</h1>
      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Plan</h2>
        <ProblemNotice problem={subscription.problem} />
        {subscription.loading && !subscription.data ? <Loading what="the subscription" /> : null}
        {subscription.data ? (
          <p>
            <strong>{plan?.name ?? subscription.data.planId}</strong>
            {plan ? ` · ${money(plan.basePriceCents, plan.currency)} a ${plan.interval}` : ''} · {subscription.data.status} · this period {date(subscription.data.currentPeriod.start)} – {date(subscription.data.currentPeriod.end)}
            {subscription.data.pendingPlanId ? ` · changes to ${subscription.data.pendingPlanId} at the period's end` : ''}
          </p>
        ) : null}
        {can(me, 'billing:manage') && offered.length > 0 ? (
          <form class="inline-form" onSubmit={changePlan} aria-label="Change plan">
            <Select id="plan" label="Change to" value={chosen} options={[{ value: '', label: 'Choose a plan' }, ...offered.map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${money(candidate.basePriceCents, candidate.currency)} a ${candidate.interval})` }))]} onChange={setChosen} />
            <button type="submit" disabled={action.busy || chosen === ''}>
              Change plan
            </button>
          </form>
        ) : null}
        <ProblemNotice problem={action.problem} />
        {changed ? <Notice>{changed}</Notice> : null}
      </section>
      <section aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage this period</h2>
        <ProblemNotice problem={entitlements.problem} />
        {entitlements.loading && !entitlements.data ? <Loading what="usage" /> : null}
        {entitlements.data && entitlements.data.metrics.length === 0 ? <Empty>The plan meters nothing.</Empty> : null}
        {entitlements.data?.metrics.map((metric) => <UsageBar key={metric.metric} metric={metric} />)}
      </section>
      <section aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        <ProblemNotice problem={invoices.problem} />
        {invoices.loading && !invoices.data ? <Loading what="invoices" /> : null}
        {invoices.data && invoices.data.items.length === 0 ? <Empty>No invoices yet: the first comes at the end of this period.</Empty> : null}
        {invoices.data && invoices.data.items.length > 0 ? (
          <Table caption="Invoices" headers={['Number', 'Period', 'Plan', 'Total', 'Status']}>
            {invoices.data.items.map((invoice) => (
              <tr key={invoice.id}>
                <td>{invoice.number ?? 'draft'}</td>
                <td>
                  {date(invoice.periodStart)} – {date(invoice.periodEnd)}
                </td>
                <td>{invoice.planId}</td>
                <td>{money(invoice.totalCents, invoice.currency)}</td>
                <td>{invoice.status}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </section>
      <p class="muted small">Usage is counted from the gateway's metering within seconds; reload the page to see the latest.</p>
    </>
  );
}
