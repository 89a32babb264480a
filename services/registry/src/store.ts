import { sql, type Kysely } from 'kysely';
import { transactionalStore, type TransactionalStore } from '@lift/kit';
import type { ModuleStatus, RegistryTables } from './tables.js';

export type ModuleRow = RegistryTables['modules'];
export type ModuleVersionRow = RegistryTables['module_versions'];
export type HealthResultRow = RegistryTables['module_health_results'];

/** What a health observation changes on its module (the status moves only after a run of them). */
export type HealthChange = Pick<ModuleRow, 'status' | 'consecutive_failures' | 'consecutive_successes' | 'last_checked_at' | 'last_error'> & Partial<Pick<ModuleRow, 'status_changed_at'>>;

/** Every query the registry makes; the store runs them on the database or inside a transaction. */
function registryQueries(db: Kysely<RegistryTables>) {
  const modules = () => db.selectFrom('modules');
  return {
    module: (moduleId: string) => modules().selectAll().where('module_id', '=', moduleId).executeTakeFirst(),
    /** By id; `after` is the last id of the previous page. */
    modules: (filter: { status?: ModuleStatus; enabled?: boolean; after?: string }) => {
      let query = modules().selectAll().orderBy('module_id');
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled ? 1 : 0);
      if (filter.after !== undefined) query = query.where('module_id', '>', filter.after);
      return query.execute();
    },
    moduleIds: async () => (await modules().select('module_id').execute()).map((row) => row.module_id),
    /** What the route table is made of, by id. */
    routing: () => modules().select(['module_id', 'manifest', 'enabled', 'status']).orderBy('module_id').execute(),
    enabledManifests: () => modules().select(['manifest', 'status']).where('enabled', '=', 1).orderBy('module_id').execute(),
    /** What a health round needs of every module: how to check it, and when it last said it was alive. */
    healthSchedule: () => modules().select(['manifest', 'last_heartbeat_at', 'registered_at']).execute(),
    healthOverview: () => modules().select(['module_id', 'status', 'enabled', 'status_changed_at', 'last_error']).orderBy('module_id').execute(),

    insertModule: (row: ModuleRow) => db.insertInto('modules').values(row).execute(),
    updateManifest: (moduleId: string, changes: Pick<ModuleRow, 'name' | 'version' | 'manifest' | 'updated_at'>) => db.updateTable('modules').set(changes).where('module_id', '=', moduleId).execute(),
    /** False when there is no such module. */
    setEnabled: async (moduleId: string, enabled: boolean, at: string) =>
      Number((await db.updateTable('modules').set({ enabled: enabled ? 1 : 0, updated_at: at }).where('module_id', '=', moduleId).executeTakeFirst()).numUpdatedRows) > 0,
    /** The module and its health results; false when there is no such module. */
    deleteModule: async (moduleId: string) => {
      const deleted = Number((await db.deleteFrom('modules').where('module_id', '=', moduleId).executeTakeFirst()).numDeletedRows) > 0;
      if (deleted) await db.deleteFrom('module_health_results').where('module_id', '=', moduleId).execute();
      return deleted;
    },

    insertVersion: (row: ModuleVersionRow) => db.insertInto('module_versions').values(row).execute(),
    versions: (moduleId: string) => db.selectFrom('module_versions').selectAll().where('module_id', '=', moduleId).orderBy('recorded_at', 'desc').execute(),

    healthCounters: (moduleId: string) => modules().select(['status', 'consecutive_failures', 'consecutive_successes']).where('module_id', '=', moduleId).executeTakeFirst(),
    updateHealth: (moduleId: string, change: HealthChange) => db.updateTable('modules').set(change).where('module_id', '=', moduleId).execute(),
    recordHeartbeat: (moduleId: string, at: string) => db.updateTable('modules').set({ last_heartbeat_at: at }).where('module_id', '=', moduleId).execute(),
    insertHealthResult: (row: HealthResultRow) => db.insertInto('module_health_results').values(row).execute(),
    /** Forgets all but the module's `kept` latest health results. */
    keepLatestHealthResults: async (moduleId: string, kept: number) => {
      const stale = await db.selectFrom('module_health_results').select('checked_at').where('module_id', '=', moduleId).orderBy('checked_at', 'desc').offset(kept).limit(1).executeTakeFirst();
      if (stale) await db.deleteFrom('module_health_results').where('module_id', '=', moduleId).where('checked_at', '<=', stale.checked_at).execute();
    },
    recentHealthResults: (moduleId: string, limit: number) => db.selectFrom('module_health_results').selectAll().where('module_id', '=', moduleId).orderBy('checked_at', 'desc').limit(limit).execute(),

    /** Bumps the route table's revision (see revision.ts) and returns the new one; run it in the change's transaction. */
    bumpRevision: async () => {
      await sql`update registry_revision set revision = revision + 1 where id = 1`.execute(db);
      return readRevision(db);
    },
    currentRevision: () => readRevision(db),
  };
}

async function readRevision(db: Kysely<RegistryTables>): Promise<number> {
  const row = await db.selectFrom('registry_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export type RegistryQueries = ReturnType<typeof registryQueries>;
/** The registry's one storage seam: every query, and `transaction` to run several atomically. */
export type RegistryStore = TransactionalStore<RegistryQueries>;

export function registryStore(db: Kysely<RegistryTables>): RegistryStore {
  return transactionalStore(db, registryQueries);
}
