/** A service's probe result: up (/health and /ready 2xx), degraded (/health only), down (not even /health). */
export type CheckState = 'up' | 'degraded' | 'down';
/** What the status page and the overview say of a service or module. */
export type TargetState = CheckState | 'unknown' | 'disabled';
export type TargetKind = 'service' | 'module';
export type AlertRuleKind = 'service_down' | 'error_rate' | 'latency_p95' | 'module_unhealthy';
export type AlertSeverity = 'critical' | 'warning' | 'info';
export type AlertState = 'firing' | 'acknowledged' | 'resolved';
/** Who opened an alert: one of this service's rules, or Alertmanager through its webhook. */
export type AlertSource = 'rule' | 'alertmanager';
export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** The tables the health monitor, alerts and notifications own (Kysely row types). */
export interface MonitoringTables {
  /** One row per service per probe round (kept HEALTH_HISTORY_RETENTION_DAYS). */
  service_checks: { target: string; checked_at: string; state: CheckState; latency_ms: number | null; detail: string | null };
  /** Per service and hour: checks, up checks and the response times (JSON `{ "<ms>": count }`), so 24 h and 7 d windows read 24 or 168 rows. */
  service_check_hours: { target: string; hour: string; checks: number; up_checks: number; latencies: string };
  /** What is known now of each service and module: one row each, written by the monitor's leader. */
  monitored_targets: { kind: TargetKind; name: string; state: TargetState; since: string; checked_at: string | null; latency_ms: number | null; detail: string | null; bad_checks: number };
  /** Part 1's per-round traffic samples: no longer written (the metrics layer keeps `metric_deltas`); its rows age out with the retention. */
  service_metric_samples: { service: string; sampled_at: string; window_ms: number; requests: number; errors: number; buckets: string };
  /** Each scrape target's (a service, or `module:<id>`) request series at the last scrape (JSON `{ seriesKey: value }`), which the next round's changes start from. */
  service_metric_baselines: { service: string; scraped_at: string; totals: string };
  alert_rules: {
    id: string;
    name: string;
    kind: AlertRuleKind;
    target: string;
    checks: number | null;
    threshold: number | null;
    for_ms: number | null;
    severity: AlertSeverity;
    enabled: number;
    channels: string;
    created_at: string;
    updated_at: string;
    updated_by: string;
  };
  /**
   * At most one open (firing or acknowledged) alert per fingerprint — `<ruleId>:<target>` for a
   * rule's, `alertmanager:<fingerprint>` for Alertmanager's — by a unique partial index; and one
   * Alertmanager alert per fingerprint and `starts_at` (an occurrence).
   */
  alerts: {
    id: string;
    source: AlertSource;
    /** '' for Alertmanager's (no rule of this service). */
    rule_id: string;
    fingerprint: string;
    /** The rule's name, or Alertmanager's `alertname` label. */
    rule_name: string;
    /** '' for Alertmanager's. */
    kind: AlertRuleKind | '';
    target: string;
    severity: AlertSeverity;
    state: AlertState;
    summary: string;
    fired_at: string;
    acknowledged_at: string | null;
    acknowledged_by: string | null;
    resolved_at: string | null;
    resolved_by: string | null;
    /** Alertmanager's alerts only (null for a rule's): the occurrence's startsAt, normalised ISO-8601. */
    starts_at: string | null;
    /** Alertmanager's endsAt (null for Go's zero time, "not known"). */
    ends_at: string | null;
    /** JSON objects of Alertmanager's labels and annotations. */
    labels: string | null;
    annotations: string | null;
    generator_url: string | null;
    receiver: string | null;
    /** When Alertmanager last posted about it. */
    received_at: string | null;
  };
  /** The notification outbox and delivery log: one row per alert event and channel. */
  alert_deliveries: {
    id: string;
    alert_id: string;
    event: 'firing' | 'resolved';
    channel_type: 'webhook' | 'slack';
    url: string;
    payload: string;
    state: DeliveryState;
    attempts: number;
    next_attempt_at: string;
    last_attempt_at: string | null;
    last_status: number | null;
    last_error: string | null;
    created_at: string;
    delivered_at: string | null;
  };
  monitoring_markers: { name: string; set_at: string };
}
