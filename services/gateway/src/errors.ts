/** Stable codes of the gateway's own answers. */
export const gatewayErrorCodes = {
  upstreamUnavailable: 'GATEWAY_UPSTREAM_UNAVAILABLE',
  upstreamTimeout: 'GATEWAY_UPSTREAM_TIMEOUT',
  badUpstreamResponse: 'GATEWAY_BAD_UPSTREAM_RESPONSE',
} as const;
