/** Stable codes of the gateway's own answers. */
export const gatewayErrorCodes = {
  upstreamUnavailable: 'GATEWAY_UPSTREAM_UNAVAILABLE',
  upstreamTimeout: 'GATEWAY_UPSTREAM_TIMEOUT',
  badUpstreamResponse: 'GATEWAY_BAD_UPSTREAM_RESPONSE',
  moduleNotFound: 'GATEWAY_MODULE_NOT_FOUND',
  moduleUnavailable: 'GATEWAY_MODULE_UNAVAILABLE',
  moduleRoutingUnavailable: 'GATEWAY_MODULE_ROUTING_UNAVAILABLE',
  permissionMissing: 'AUTH_PERMISSION_MISSING',
  quotaExceeded: 'GATEWAY_QUOTA_EXCEEDED',
  circuitOpen: 'GATEWAY_CIRCUIT_OPEN',
  moduleTokenRefused: 'GATEWAY_MODULE_TOKEN_REFUSED',
  ambiguousPath: 'GATEWAY_AMBIGUOUS_PATH',
  publicRoutesUnknown: 'GATEWAY_PUBLIC_ROUTES_UNKNOWN',
  consoleNotBuilt: 'GATEWAY_CONSOLE_NOT_BUILT',
  consoleFileNotFound: 'GATEWAY_CONSOLE_FILE_NOT_FOUND',
} as const;
