import { isReservedNamespace, permissionNamespace } from '@lift/kit';
import type { RouteTableModule } from '@lift/sdk';
import { tenantRoles, type TenantRole } from './permissions.js';

export type RoleGrants = Record<TenantRole, string[]>;

/**
 * One module's entry in the registry's route table (the SDK's `RouteTableModule`), as far as auth
 * reads it: every field is checked here, nothing is trusted.
 */
export type ModuleGrantEntry = { readonly [Field in keyof Pick<RouteTableModule, 'moduleId' | 'roles' | 'memoryRequirements'>]?: unknown };

export interface DroppedGrant {
  readonly moduleId: string;
  readonly role: string;
  readonly permission: string;
  readonly reason: 'reserved module id' | 'outside the module\'s namespace';
}

export function noGrants(): RoleGrants {
  return { owner: [], admin: [], member: [], viewer: [] };
}

/**
 * The module permissions auth puts in tokens. Defence in depth: the registry already refuses
 * manifests that grant more, but auth does not trust it blindly — from each module only
 * permissions in that module's own namespace (`<moduleId>:…`), and nothing at all from a module
 * whose id is one of the platform's reserved namespaces (`org`, `registry`, …), whose "own"
 * permissions would be the platform's.
 */
export function acceptedModuleGrants(modules: readonly ModuleGrantEntry[]): { grants: RoleGrants; dropped: DroppedGrant[] } {
  const grants = noGrants();
  const dropped: DroppedGrant[] = [];
  for (const module of modules) {
    // No id: no namespace of its own, so every permission it offers is outside it.
    const moduleId = typeof module.moduleId === 'string' ? module.moduleId : '';
    const roles = (typeof module.roles === 'object' && module.roles !== null ? module.roles : {}) as Partial<Record<string, unknown>>;
    for (const role of tenantRoles) {
      const offered = Array.isArray(roles[role]) ? (roles[role] as unknown[]) : [];
      for (const permission of offered) {
        if (typeof permission !== 'string') continue;
        if (isReservedNamespace(moduleId)) dropped.push({ moduleId, role, permission, reason: 'reserved module id' });
        else if (permissionNamespace(permission) !== moduleId) dropped.push({ moduleId, role, permission, reason: 'outside the module\'s namespace' });
        else if (!grants[role].includes(permission)) grants[role].push(permission);
      }
    }
  }
  return { grants, dropped };
}

/**
 * The core-service permissions each module's manifest declares it needs on its callers' behalf
 * (`memoryRequirements` → `memory:read`, `memory:write`): the most a token it exchanges may carry.
 * Nothing for a module whose id is reserved.
 */
export function declaredPlatformAccess(modules: readonly ModuleGrantEntry[]): Map<string, readonly string[]> {
  const access = new Map<string, readonly string[]>();
  for (const module of modules) {
    if (typeof module.moduleId !== 'string' || isReservedNamespace(module.moduleId)) continue;
    const needs = (typeof module.memoryRequirements === 'object' && module.memoryRequirements !== null ? module.memoryRequirements : {}) as { read?: unknown; write?: unknown };
    access.set(module.moduleId, [...(needs.read === true ? ['memory:read'] : []), ...(needs.write === true ? ['memory:write'] : [])]);
  }
  return access;
}
