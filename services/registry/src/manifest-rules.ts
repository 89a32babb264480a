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
  if (manifest.healthCheck?.type === 'ttl' && manifest.healthCheck.ttlSeconds === undefined) {
    throw new InvalidInputError(registryErrorCodes.invalidManifest, 'A ttl health check needs ttlSeconds.', { field: 'body.healthCheck.ttlSeconds' });
  }
  return withDefaults;
}
