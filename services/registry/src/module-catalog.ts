import semver from 'semver';
import { ConflictError, InvalidInputError, isUniqueViolation, NotFoundError, nowIso } from '@lift/kit';
import { registryErrorCodes } from './errors.js';
import type { ModuleManifestInput } from './manifest.js';
import { normaliseManifest } from './manifest-rules.js';
import { moduleView, type ModuleView } from './module-view.js';
import { type RegistryDomain } from './registry-domain.js';
import { announce } from './revision.js';
import type { ModuleStatus } from './tables.js';
import { urlProblem } from './url-guard.js';

/** Checks the URLs a manifest asks the platform to call, naming the field that is unsafe. */
async function assertSafeUrls(domain: RegistryDomain, manifest: ModuleManifestInput): Promise<void> {
  const policy = await domain.urlPolicy;
  const baseProblem = await urlProblem(manifest.baseUrl, policy);
  if (baseProblem) throw new InvalidInputError(registryErrorCodes.unsafeUrl, `baseUrl ${baseProblem}.`, { field: 'body.baseUrl' });
  for (const [index, replica] of (manifest.replicaBaseUrls ?? []).entries()) {
    const problem = await urlProblem(replica, policy);
    if (problem) throw new InvalidInputError(registryErrorCodes.unsafeUrl, `replicaBaseUrls[${index}] ${problem}.`, { field: `body.replicaBaseUrls[${index}]` });
  }
  if (/^https?:\/\//i.test(manifest.healthEndpoint)) {
    const healthProblem = await urlProblem(manifest.healthEndpoint, policy);
    if (healthProblem) throw new InvalidInputError(registryErrorCodes.unsafeUrl, `healthEndpoint ${healthProblem}.`, { field: 'body.healthEndpoint' });
  } else if (!manifest.healthEndpoint.startsWith('/')) {
    throw new InvalidInputError(registryErrorCodes.invalidManifest, 'healthEndpoint must be a path starting with / or an http(s) URL.', { field: 'body.healthEndpoint' });
  }
}

function notFound(moduleId: string): NotFoundError {
  return new NotFoundError(registryErrorCodes.moduleNotFound, `No module "${moduleId}" is registered.`);
}

export async function registerModule(domain: RegistryDomain, input: ModuleManifestInput, actor: string): Promise<ModuleView> {
  const manifest = normaliseManifest(input);
  await assertSafeUrls(domain, manifest);
  const at = nowIso(domain.clock);
  const row = {
    module_id: manifest.moduleId,
    name: manifest.name,
    version: manifest.version,
    manifest: JSON.stringify(manifest),
    enabled: 1,
    status: 'unknown' as const,
    consecutive_failures: 0,
    consecutive_successes: 0,
    last_checked_at: null,
    last_heartbeat_at: null,
    last_error: null,
    status_changed_at: at,
    registered_by: actor,
    registered_at: at,
    updated_at: at,
  };
  let revision: number;
  try {
    revision = await domain.store.transaction(async (queries) => {
      await queries.insertModule(row);
      await queries.insertVersion({ module_id: manifest.moduleId, version: manifest.version, manifest: row.manifest, recorded_at: at, recorded_by: actor });
      return queries.bumpRevision();
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(registryErrorCodes.moduleExists, `A module "${manifest.moduleId}" is registered already; update it with PUT /v1/modules/${manifest.moduleId}.`, {
        extensions: { field: 'body.moduleId' },
      });
    }
    throw error;
  }
  await announce(domain.state, revision);
  domain.onModuleChanged(manifest.moduleId);
  return moduleView(row);
}

export async function updateModule(domain: RegistryDomain, moduleId: string, input: ModuleManifestInput, actor: string): Promise<ModuleView> {
  if (input.moduleId !== moduleId) {
    throw new InvalidInputError(registryErrorCodes.moduleIdMismatch, `The manifest is for "${input.moduleId}", not "${moduleId}".`, { field: 'body.moduleId' });
  }
  const manifest = normaliseManifest(input);
  await assertSafeUrls(domain, manifest);
  const existing = await domain.store.module(moduleId);
  if (!existing) throw notFound(moduleId);
  if (semver.lt(manifest.version, existing.version)) {
    throw new ConflictError(registryErrorCodes.versionNotNewer, `Version ${manifest.version} is older than the registered ${existing.version}.`, { extensions: { field: 'body.version' } });
  }
  const at = nowIso(domain.clock);
  const serialised = JSON.stringify(manifest);
  const revision = await domain.store.transaction(async (queries) => {
    await queries.updateManifest(moduleId, { name: manifest.name, version: manifest.version, manifest: serialised, updated_at: at });
    if (manifest.version !== existing.version) {
      await queries.insertVersion({ module_id: moduleId, version: manifest.version, manifest: serialised, recorded_at: at, recorded_by: actor });
    }
    return queries.bumpRevision();
  });
  await announce(domain.state, revision);
  domain.onModuleChanged(moduleId);
  return moduleView({ ...existing, name: manifest.name, version: manifest.version, manifest: serialised, updated_at: at });
}

export async function setModuleEnabled(domain: RegistryDomain, moduleId: string, enabled: boolean): Promise<ModuleView> {
  const at = nowIso(domain.clock);
  const revision = await domain.store.transaction(async (queries) => {
    if (!(await queries.setEnabled(moduleId, enabled, at))) throw notFound(moduleId);
    return queries.bumpRevision();
  });
  await announce(domain.state, revision);
  return getModule(domain, moduleId);
}

export async function deregisterModule(domain: RegistryDomain, moduleId: string): Promise<void> {
  const revision = await domain.store.transaction(async (queries) => {
    if (!(await queries.deleteModule(moduleId))) throw notFound(moduleId);
    return queries.bumpRevision();
  });
  await announce(domain.state, revision);
}

export async function getModule(domain: RegistryDomain, moduleId: string): Promise<ModuleView> {
  const row = await domain.store.module(moduleId);
  if (!row) throw notFound(moduleId);
  return moduleView(row);
}

export interface ModuleFilter {
  readonly status?: string;
  readonly feature?: string;
  readonly category?: string;
  readonly tag?: string;
  readonly enabled?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** Modules by id, filtered on what the manifest says; the cursor is the last id of the previous page. */
export async function listModules(domain: RegistryDomain, filter: ModuleFilter): Promise<{ items: ModuleView[]; nextCursor: string | null }> {
  // Manifest filters run in code: a handful of modules per installation, and JSON queries differ per dialect.
  const rows = await domain.store.modules({ status: filter.status as ModuleStatus | undefined, enabled: filter.enabled, after: filter.cursor });
  const matching = rows.map(moduleView).filter(
    (module) =>
      (filter.feature === undefined || module.features.includes(filter.feature)) &&
      (filter.category === undefined || module.metadata.category === filter.category) &&
      (filter.tag === undefined || (module.metadata.tags ?? []).includes(filter.tag)),
  );
  const items = matching.slice(0, filter.limit);
  return { items, nextCursor: matching.length > filter.limit ? (items.at(-1)?.moduleId ?? null) : null };
}

export async function moduleVersions(domain: RegistryDomain, moduleId: string) {
  await getModule(domain, moduleId);
  const rows = await domain.store.versions(moduleId);
  return rows.map((row) => ({ version: row.version, recordedAt: row.recorded_at, recordedBy: row.recorded_by }));
}
