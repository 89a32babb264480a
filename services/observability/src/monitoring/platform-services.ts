import type { ObservabilityConfig } from '../config.js';

/** The six services of the platform, in the order the status page lists them. */
export const platformServices = ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry'] as const;
export type PlatformService = (typeof platformServices)[number];

export function isPlatformService(name: string): name is PlatformService {
  return (platformServices as readonly string[]).includes(name);
}

/** Where each service answers, from the same settings every service uses to call the others. */
export function platformServiceUrls(config: ObservabilityConfig): Record<PlatformService, string> {
  const base = (url: string) => url.replace(/\/+$/, '');
  return {
    gateway: base(config.GATEWAY_URL),
    auth: base(config.AUTH_SERVICE_URL),
    billing: base(config.BILLING_SERVICE_URL),
    memory: base(config.MEMORY_SERVICE_URL),
    observability: base(config.OBSERVABILITY_SERVICE_URL),
    registry: base(config.REGISTRY_SERVICE_URL),
  };
}
