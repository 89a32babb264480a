import { ConfigError, type Clock } from '@lift/kit';
import type { GatewayConfig } from './config.js';
import { OutlierDetection, type OutlierDetectionSettings } from './outlier-detection.js';
import { serviceOrigins } from './service-url-list.js';
import { UpstreamInstances } from './upstream-instances.js';

/** A core service the gateway forwards `/<name>/*` to: one or several instances, each with its own keep-alive pool. */
export interface Upstream {
  readonly name: string;
  readonly prefix: string;
  readonly instances: UpstreamInstances;
  /**
   * An available instance's origin, read at each use: for /ready, /openapi.json and the gateway's
   * own calls to the service (token and key exchanges, the route table).
   */
  readonly origin: string;
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

/** The five core services; a ConfigError names a `*_SERVICE_URL` with a bad or repeated entry. */
/** Outlier detection as configured, for the services' instances and the modules' replicas alike. */
export function outlierSettingsOf(config: GatewayConfig): OutlierDetectionSettings {
  return { ejectAfterFailures: config.UPSTREAM_EJECT_AFTER_FAILURES, ejectAfterGatewayErrors: config.UPSTREAM_EJECT_AFTER_GATEWAY_ERRORS, baseEjectionMs: config.UPSTREAM_EJECT_MS, maxEjectionMs: config.UPSTREAM_EJECT_MAX_MS };
}

export function coreUpstreams(config: GatewayConfig, clock: Clock): Upstream[] {
  const targets: [string, string, string][] = [
    ['auth', 'AUTH_SERVICE_URL', config.AUTH_SERVICE_URL],
    ['memory', 'MEMORY_SERVICE_URL', config.MEMORY_SERVICE_URL],
    ['registry', 'REGISTRY_SERVICE_URL', config.REGISTRY_SERVICE_URL],
    ['billing', 'BILLING_SERVICE_URL', config.BILLING_SERVICE_URL],
    ['observability', 'OBSERVABILITY_SERVICE_URL', config.OBSERVABILITY_SERVICE_URL],
  ];
  const timeouts = upstreamTimeouts(config.UPSTREAM_TIMEOUTS);
  const outlierSettings = outlierSettingsOf(config);
  // Every bad variable reported at once, not one per start.
  const problems: string[] = [];
  const origins = targets.map(([, variable, setting]) => {
    try {
      return serviceOrigins(variable, setting);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return [];
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return targets.map(([name], index) => {
    const timeoutMs = timeouts.get(name) ?? config.UPSTREAM_TIMEOUT_MS;
    const instances = UpstreamInstances.ofOrigins(
      name,
      origins[index] as string[],
      { connections: config.UPSTREAM_CONNECTIONS, connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS, timeoutMs },
      new OutlierDetection(outlierSettings, clock),
      config.UPSTREAM_BALANCING,
    );
    return {
      name,
      prefix: `/${name}`,
      instances,
      timeoutMs,
      get origin() {
        return instances.anyAvailable().origin;
      },
    };
  });
}
