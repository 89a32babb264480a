import type { MetricEntitlement } from '../api/types.js';
import { count } from '../components/format.js';

/** One metric's use against what the plan includes; past the included amount the bar turns to overage. */
export function UsageBar(props: { metric: MetricEntitlement }) {
  const { metric, used, included, limit, hardLimitReached } = props.metric;
  const share = included > 0 ? Math.min(used / included, 1) : used > 0 ? 1 : 0;
  const over = used > included;
  const id = `usage-${metric.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <div class="usage" data-metric={metric}>
      <div class="usage-label">
        <span id={id}>{metric}</span>
        <span>
          {count(used)} of {count(included)} included{over ? ` (${count(used - included)} over${limit === 'hard' ? ', hard limit' : ''})` : ''}
          {hardLimitReached ? ' — limit reached' : ''}
        </span>
      </div>
      <div class={`bar ${over ? 'bar-over' : ''}`} role="meter" aria-labelledby={id} aria-valuemin={0} aria-valuemax={included} aria-valuenow={used} aria-valuetext={`${count(used)} of ${count(included)}`}>
        <div class="bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
