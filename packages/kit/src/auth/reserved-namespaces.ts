/**
 * Permission namespaces (the part before `:`) that belong to the platform itself. A module id is
 * also its permission namespace and its path under the gateway, so no module may take one of these:
 * it could grant the platform's own permissions (`org:owner`, `registry:admin`) to tenant roles, or
 * shadow a route the gateway serves itself. The registry refuses such ids and auth ignores module
 * grants in these namespaces, so neither has to trust the other.
 */
export const reservedNamespaces: ReadonlySet<string> = new Set([
  // The core services and their permission namespaces.
  'auth',
  'billing',
  'gateway',
  'memory',
  'observability',
  'registry',
  // Namespaces of the platform's own permissions and token subjects.
  'org',
  'platform',
  'svc',
  'service',
  'apikey',
  'api-key',
  'user',
  'lift',
  'admin',
  'system',
  'root',
  'internal',
  'core',
  // Words a reader takes for the platform's own resources, which auth and billing name.
  'oauth',
  'openid',
  'jwks',
  'token',
  'tokens',
  'tenant',
  'tenants',
  'organisation',
  'organization',
  'orgs',
  'member',
  'members',
  'role',
  'roles',
  'permission',
  'permissions',
  'usage',
  'events',
  'audit',
  // Paths the gateway answers itself.
  'modules',
  'module',
  'console',
  'health',
  'ready',
  'metrics',
  'docs',
  'openapi',
  'well-known',
  'api',
  'v1',
  'static',
  'assets',
]);

/** Whether `namespace` (a module id, or a permission's prefix) is the platform's own. */
export function isReservedNamespace(namespace: string): boolean {
  return reservedNamespaces.has(namespace.toLowerCase());
}

/** The namespace of a permission (`memory:read` → `memory`), or undefined when it has none. */
export function permissionNamespace(permission: string): string | undefined {
  const separator = permission.indexOf(':');
  return separator > 0 ? permission.slice(0, separator) : undefined;
}
