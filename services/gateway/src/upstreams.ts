import { Pool } from 'undici';
import type { GatewayConfig } from './config.js';

/** A core service the gateway forwards `/<name>/*` to, with its own keep-alive pool. */
export interface Upstream {
  readonly name: string;
  readonly prefix: string;
  readonly origin: string;
  readonly pool: Pool;
  /** How long it has to start answering. */
  readonly timeoutMs: number;
}

/** `memory:60000,billing:10000` → per-service timeouts. */
export function upstreamTimeouts(setting: string): Map<string, number> {
  return new Map(setting.split(',').filter((entry) => entry !== '').map((entry) => {
    const [name = '', ms = ''] = entry.split(':');
    return [name, Number(ms)] as const;
  }));
}

export function coreUpstreams(config: GatewayConfig): Upstream[] {
  const targets: [string, string][] = [
    ['auth', config.AUTH_SERVICE_URL],
    ['memory', config.MEMORY_SERVICE_URL],
    ['registry', config.REGISTRY_SERVICE_URL],
    ['billing', config.BILLING_SERVICE_URL],
    ['observability', config.OBSERVABILITY_SERVICE_URL],
  ];
  const timeouts = upstreamTimeouts(config.UPSTREAM_TIMEOUTS);
  return targets.map(([name, url]) => {
    const origin = new URL(url).origin;
    const timeoutMs = timeouts.get(name) ?? config.UPSTREAM_TIMEOUT_MS;
    return {
      name,
      prefix: `/${name}`,
      origin,
      timeoutMs,
      pool: new Pool(origin, {
        connections: config.UPSTREAM_CONNECTIONS,
        connect: { timeout: config.UPSTREAM_CONNECT_TIMEOUT_MS },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        keepAliveTimeout: 10_000,
      }),
    };
  });
}
