/** Stable codes of the registry service. */
export const registryErrorCodes = {
  moduleExists: 'REGISTRY_MODULE_EXISTS',
  moduleNotFound: 'REGISTRY_MODULE_NOT_FOUND',
  moduleIdMismatch: 'REGISTRY_MODULE_ID_MISMATCH',
  reservedModuleId: 'REGISTRY_RESERVED_MODULE_ID',
  unsafeUrl: 'REGISTRY_UNSAFE_URL',
  foreignPermission: 'REGISTRY_FOREIGN_PERMISSION',
  undeclaredPermission: 'REGISTRY_UNDECLARED_PERMISSION',
  invalidManifest: 'REGISTRY_INVALID_MANIFEST',
  versionNotNewer: 'REGISTRY_VERSION_NOT_NEWER',
  heartbeatNotExpected: 'REGISTRY_HEARTBEAT_NOT_EXPECTED',
} as const;
