export type ModuleStatus = 'unknown' | 'healthy' | 'unhealthy';

/** The registry's tables as Kysely sees them (snake_case; times are ISO-8601 UTC text). */
export interface RegistryTables {
  modules: {
    module_id: string;
    name: string;
    version: string;
    manifest: string;
    enabled: number;
    status: ModuleStatus;
    consecutive_failures: number;
    consecutive_successes: number;
    last_checked_at: string | null;
    last_heartbeat_at: string | null;
    last_error: string | null;
    status_changed_at: string;
    registered_by: string;
    registered_at: string;
    updated_at: string;
  };
  module_versions: {
    module_id: string;
    version: string;
    manifest: string;
    recorded_at: string;
    recorded_by: string;
  };
  module_health_results: {
    module_id: string;
    checked_at: string;
    ok: number;
    latency_ms: number | null;
    detail: string | null;
  };
  registry_revision: {
    id: number;
    revision: number;
  };
}
