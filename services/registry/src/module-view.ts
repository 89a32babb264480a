import type { ModuleManifestInput } from './manifest.js';
import type { ModuleStatus, RegistryTables } from './tables.js';

/** A module as the API shows it: its manifest plus what the registry knows of it. */
export interface ModuleView extends ModuleManifestInput {
  readonly enabled: boolean;
  readonly status: ModuleStatus;
  readonly lastCheckedAt: string | null;
  readonly lastHeartbeatAt: string | null;
  readonly lastError: string | null;
  readonly statusChangedAt: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

export function moduleView(row: RegistryTables['modules']): ModuleView {
  return {
    ...(JSON.parse(row.manifest) as ModuleManifestInput),
    enabled: row.enabled === 1,
    status: row.status,
    lastCheckedAt: row.last_checked_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    lastError: row.last_error,
    statusChangedAt: row.status_changed_at,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}
