import { useRef, useState } from 'preact/hooks';
import { asProblem, type ApiProblem } from '../../api/problem.js';
import type { Overview, ServiceHealth } from '../../api/types.js';
import { dateTime } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { LiveChart } from '../../components/live-chart.js';
import { Empty, Loading, ProblemNotice } from '../../components/status.js';
import { usePolling } from '../../components/use-polling.js';
import { useSession } from '../../session.js';
import { StateBadge } from './state-badge.js';

const refreshMs = 5_000;
/** Ten minutes of samples at one every five seconds. */
const keptSamples = 120;

interface Sample {
  readonly time: number;
  readonly rate: number;
  readonly errors: number | null;
  readonly p95: number | null;
}

function uptime(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3_600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** Every service and module at a glance, the platform's traffic, and the open alerts; live. */
export default function OverviewPage() {
  const { api } = useSession();
  const [overview, setOverview] = useState<Overview | undefined>(undefined);
  const [health, setHealth] = useState<Record<string, ServiceHealth | undefined>>({});
  const [samples, setSamples] = useState<readonly Sample[]>([]);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  /** The state change each service's /health was read at: it is read again only after a restart or a recovery. */
  const healthReadAt = useRef(new Map<string, string>());
  usePolling(async () => {
    try {
      const next = await api.get<Overview>('/observability/v1/overview');
      setOverview(next);
      setProblem(undefined);
      setSamples((previous) => [...previous, { time: Date.now() / 1000, rate: next.traffic.requestsPerSecond, errors: next.traffic.errorRatePercent, p95: next.traffic.p95Ms }].slice(-keptSamples));
      // Each service says its version and start time on /health (public through the gateway). Read
      // once per state change, not at every refresh: the uptime counts on from the start time.
      const stale = next.services.filter((service) => service.state !== 'down' && healthReadAt.current.get(service.name) !== `${service.state} ${service.since}`);
      const answers = await Promise.all(stale.map(async (service) => [service, await api.get<ServiceHealth>(service.name === 'gateway' ? '/health' : `/${service.name}/health`).catch(() => undefined)] as const));
      for (const [service, answer] of answers) if (answer) healthReadAt.current.set(service.name, `${service.state} ${service.since}`);
      const down = new Set(next.services.filter((service) => service.state === 'down').map((service) => service.name));
      setHealth((previous) => ({ ...Object.fromEntries(Object.entries(previous).filter(([name]) => !down.has(name))), ...Object.fromEntries(answers.map(([service, answer]) => [service.name, answer])) }));
      for (const name of down) healthReadAt.current.delete(name);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }, refreshMs);
  return (
    <>
      <h1>Overview</h1>
      <ProblemNotice problem={problem} />
      {!overview && !problem ? <Loading what="the overview" /> : null}
      {overview ? (
        <>
          <p>
            Platform <StateBadge state={overview.state} /> <span class="muted small">refreshes every {refreshMs / 1000} s</span>
          </p>
          <section aria-labelledby="services-heading">
            <h2 id="services-heading">Services</h2>
            <ul class="tiles">
              {overview.services.map((service) => {
                const own = health[service.name];
                return (
                  <li key={service.name} class={`tile tile-${service.state}`} data-service={service.name}>
                    <h3>{service.name}</h3>
                    <StateBadge state={service.state} />
                    <p class="small">{own ? `v${own.version} · up ${uptime(Math.max(0, Math.round((Date.now() - Date.parse(own.startedAt)) / 1000)))}` : 'no answer'}</p>
                    {service.detail ? <p class="small muted">{service.detail}</p> : null}
                  </li>
                );
              })}
            </ul>
          </section>
          <section aria-labelledby="modules-heading">
            <h2 id="modules-heading">Modules</h2>
            {overview.modules.length === 0 ? <Empty>No modules registered.</Empty> : null}
            <ul class="tiles">
              {overview.modules.map((module) => (
                <li key={module.name} class={`tile tile-${module.state}`}>
                  <h3>{module.name}</h3>
                  <StateBadge state={module.state} />
                  {module.since ? <p class="small muted">since {dateTime(module.since)}</p> : null}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="traffic-heading">
            <h2 id="traffic-heading">Traffic ({overview.windowSeconds} s window, sampled while this page is open)</h2>
            <div class="charts">
              <LiveChart title="Request rate" unit="req/s" samples={samples.map((sample) => ({ time: sample.time, value: sample.rate }))} />
              <LiveChart title="Error rate" unit="%" samples={samples.map((sample) => ({ time: sample.time, value: sample.errors }))} />
              <LiveChart title="p95 latency" unit="ms" samples={samples.map((sample) => ({ time: sample.time, value: sample.p95 }))} />
            </div>
          </section>
          <section aria-labelledby="open-alerts-heading">
            <h2 id="open-alerts-heading">Open alerts ({overview.openAlerts.total})</h2>
            {overview.openAlerts.items.length === 0 ? <Empty>No open alerts.</Empty> : null}
            <ul>
              {overview.openAlerts.items.map((alert) => (
                <li key={alert.id}>
                  <strong>{alert.severity}</strong> {alert.summary} <span class="muted small">({alert.state}, {dateTime(alert.firedAt)})</span>
                </li>
              ))}
            </ul>
            {overview.openAlerts.total > 0 ? <Link to="/alerts">Go to the alerts</Link> : null}
          </section>
        </>
      ) : null}
    </>
  );
}
