/**
 * Roles → permissions, in one table. A token carries the permissions of the caller's role in the
 * organisation it acts for; services check permissions, never roles.
 */
export const tenantRoles = ['owner', 'admin', 'member', 'viewer'] as const;
export type TenantRole = (typeof tenantRoles)[number];

const viewer = ['memory:read', 'registry:read', 'billing:read', 'org:read'] as const;
const member = [...viewer, 'memory:write'] as const;
const admin = [...member, 'org:admin', 'billing:manage', 'billing:usage'] as const;
const owner = [...admin, 'org:owner'] as const;

/** Permissions in a tenant organisation (every sign-up's own). */
export const tenantRolePermissions: Readonly<Record<TenantRole, readonly string[]>> = { owner, admin, member, viewer };

/**
 * Permissions in the one platform organisation, whose members run this installation: the
 * platform-wide powers over modules, plans and every tenant's observability data. Only its owners
 * and admins manage alert rules and alerts (`observability:admin`); nobody's role gives
 * `observability:ingest`, which only the `log-shipper` client holds (service-permissions.ts).
 */
export const platformRolePermissions: Readonly<Record<TenantRole, readonly string[]>> = {
  owner: [...owner, 'platform:admin', 'registry:admin', 'registry:heartbeat', 'billing:admin', 'observability:read', 'observability:admin'],
  admin: [...admin, 'platform:admin', 'registry:admin', 'registry:heartbeat', 'billing:admin', 'observability:read', 'observability:admin'],
  member: [...member, 'observability:read'],
  viewer: [...viewer, 'observability:read'],
};

export function permissionsFor(kind: 'tenant' | 'platform', role: TenantRole): readonly string[] {
  return (kind === 'platform' ? platformRolePermissions : tenantRolePermissions)[role];
}

/** Every permission any role can hold: what an API key may be given (at most its creator's). */
export function isTenantRole(role: string): role is TenantRole {
  return (tenantRoles as readonly string[]).includes(role);
}
