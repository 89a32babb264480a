import type { CompleteModuleManifest, RouteRule } from '@lift/sdk';

/** The manifest as the registry stores it (the SDK declares it, for modules and the registry alike). */
export type ModuleManifestInput = CompleteModuleManifest;

/** The rules the gateway applies: the manifest's, or by default reads need `<id>:read`, the rest `<id>:write`. */
export function effectiveRoutes(manifest: ModuleManifestInput): RouteRule[] {
  if (manifest.routes && manifest.routes.length > 0) return manifest.routes;
  return [
    { method: 'GET', pathPrefix: '/', permission: `${manifest.moduleId}:read` },
    { method: 'HEAD', pathPrefix: '/', permission: `${manifest.moduleId}:read` },
    { method: '*', pathPrefix: '/', permission: `${manifest.moduleId}:write` },
  ];
}

/** Which tenant roles get which of the module's permissions (default: read for all, write for member and up). */
export function effectiveRoles(manifest: ModuleManifestInput): Record<'owner' | 'admin' | 'member' | 'viewer', string[]> {
  if (manifest.roles) {
    const { owner = [], admin = [], member = [], viewer = [] } = manifest.roles;
    return { owner, admin, member, viewer };
  }
  const read = `${manifest.moduleId}:read`;
  const write = `${manifest.moduleId}:write`;
  return { owner: [read, write], admin: [read, write], member: [read, write], viewer: [read] };
}
