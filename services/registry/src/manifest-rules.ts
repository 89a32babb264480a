import { InvalidInputError, isReservedNamespace } from '@lift/kit';
import { effectiveRoles, effectiveRoutes, type ModuleManifestInput } from './manifest.js';
import { registryErrorCodes } from './errors.js';

/**
 * What the schema cannot say: a module's id is not one of the platform's own namespaces; its
 * permissions are its own (`<moduleId>:…`, so a module can never grant `platform:admin` or another
 * module's rights to tenant roles), and its route rules and role grants use only permissions it
 * declares. Missing permissions default to read and write.
 */
export function normaliseManifest(manifest: ModuleManifestInput): ModuleManifestInput {
  // The id is also the permission namespace: "org" would make org:owner the module's own.
  if (isReservedNamespace(manifest.moduleId)) {
    throw new InvalidInputError(registryErrorCodes.reservedModuleId, `"${manifest.moduleId}" belongs to the platform (a core service, permission namespace or gateway path); choose another module id.`, {
      field: 'body.moduleId',
    });
  }
  const own = `${manifest.moduleId}:`;
  const permissions = manifest.permissions.length > 0 ? manifest.permissions : [`${own}read`, `${own}write`];
  permissions.forEach((permission, index) => {
    if (!permission.startsWith(own)) {
      throw new InvalidInputError(registryErrorCodes.foreignPermission, `Module permissions must start with "${own}"; "${permission}" does not.`, { field: `body.permissions[${index}]` });
    }
  });
  const withDefaults = { ...manifest, permissions };
  effectiveRoutes(withDefaults).forEach((rule, index) => {
    if (!permissions.includes(rule.permission)) {
      throw new InvalidInputError(registryErrorCodes.undeclaredPermission, `Route rule ${index} needs "${rule.permission}", which the manifest does not declare in permissions.`, {
        field: `body.routes[${index}].permission`,
      });
    }
  });
  for (const [role, granted] of Object.entries(effectiveRoles(withDefaults))) {
    granted.forEach((permission, index) => {
      if (!permissions.includes(permission)) {
        throw new InvalidInputError(registryErrorCodes.undeclaredPermission, `Role ${role} is granted "${permission}", which the manifest does not declare in permissions.`, {
          field: `body.roles.${role}[${index}]`,
        });
      }
    });
  }
  assertReplicasMatchBase(manifest);
  if (manifest.healthCheck?.type === 'ttl' && manifest.healthCheck.ttlSeconds === undefined) {
    throw new InvalidInputError(registryErrorCodes.invalidManifest, 'A ttl health check needs ttlSeconds.', { field: 'body.healthCheck.ttlSeconds' });
  }
  return withDefaults;
}

/**
 * Replicas are the same API at other origins: the gateway forwards to `<replica origin><baseUrl
 * path>`, so a replica with another path (or a second copy of an origin) is a mistake to name now
 * rather than a request sent to the wrong place later.
 */
function assertReplicasMatchBase(manifest: ModuleManifestInput): void {
  const replicas = manifest.replicaBaseUrls ?? [];
  if (replicas.length === 0) return;
  const base = parsed(manifest.baseUrl, 'body.baseUrl');
  const origins = new Set([base.origin]);
  replicas.forEach((raw, index) => {
    const field = `body.replicaBaseUrls[${index}]`;
    const replica = parsed(raw, field);
    if (trimmedPath(replica) !== trimmedPath(base)) {
      throw new InvalidInputError(registryErrorCodes.invalidManifest, `A replica serves the module under the path of baseUrl ("${trimmedPath(base) || '/'}"); "${replica.pathname}" differs.`, { field });
    }
    if (replica.search !== '' || replica.hash !== '') throw new InvalidInputError(registryErrorCodes.invalidManifest, 'A replica base URL has no query or fragment.', { field });
    if (origins.has(replica.origin)) throw new InvalidInputError(registryErrorCodes.invalidManifest, `${replica.origin} is listed twice (baseUrl counts as the first instance).`, { field });
    origins.add(replica.origin);
  });
}

function parsed(raw: string, field: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new InvalidInputError(registryErrorCodes.invalidManifest, `"${raw}" is not a URL.`, { field });
  }
}

function trimmedPath(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}
