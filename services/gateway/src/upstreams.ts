import { Pool } from 'undici';
import type { GatewayConfig } from './config.js';

/** A core service the gateway forwards `/<name>/*` to, with its own keep-alive pool. */
export interface Upstream {
  readonly name: string;
  readonly prefix: string;
  readonly origin: string;
  readonly pool: Pool;
}

export function coreUpstreams(config: GatewayConfig): Upstream[] {
  const targets: [string, string][] = [
    ['auth', config.AUTH_SERVICE_URL],
    ['memory', config.MEMORY_SERVICE_URL],
    ['registry', config.REGISTRY_SERVICE_URL],
    ['billing', config.BILLING_SERVICE_URL],
    ['observability', config.OBSERVABILITY_SERVICE_URL],
  ];
  return targets.map(([name, url]) => {
    const origin = new URL(url).origin;
    return {
      name,
      prefix: `/${name}`,
      origin,
      pool: new Pool(origin, {
        connections: config.UPSTREAM_CONNECTIONS,
        connect: { timeout: config.UPSTREAM_CONNECT_TIMEOUT_MS },
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
        keepAliveTimeout: 10_000,
      }),
    };
  });
}
