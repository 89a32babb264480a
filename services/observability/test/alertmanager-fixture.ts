/** Alertmanager's webhook payload (version 4) as it posts one, for tests. */
export interface AlertmanagerTestAlert {
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

export function alertmanagerPost(alerts: readonly AlertmanagerTestAlert[], status: 'firing' | 'resolved' = 'firing'): Record<string, unknown> {
  return {
    version: '4',
    groupKey: '{}/{}:{alertname="LiftServiceDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'lift-observability',
    groupLabels: { alertname: 'LiftServiceDown' },
    commonLabels: { alertname: 'LiftServiceDown' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((alert) => ({
      status: alert.status ?? status,
      labels: alert.labels ?? { alertname: 'LiftServiceDown', service: 'billing', job: 'lift-billing', instance: '127.0.0.1:8002', severity: 'critical' },
      annotations: alert.annotations ?? { summary: 'billing is down', description: 'billing has not answered /metrics for a minute.' },
      startsAt: alert.startsAt ?? '2026-11-28T10:00:00.123456789Z',
      endsAt: alert.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0',
      fingerprint: alert.fingerprint ?? 'a1b2c3d4e5f60718',
    })),
  };
}
