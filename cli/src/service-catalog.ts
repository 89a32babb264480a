/** The six core services, on the seed's ports, in the order they start and are listed. */
export interface CatalogEntry {
  readonly name: string;
  readonly port: number;
}

export const coreServices: readonly CatalogEntry[] = [
  { name: 'auth', port: 8001 },
  { name: 'billing', port: 8002 },
  { name: 'memory', port: 8003 },
  { name: 'observability', port: 8004 },
  { name: 'registry', port: 8005 },
  { name: 'gateway', port: 8000 },
];

/**
 * Clients that joined after the first installations: `lift up` adds each one missing from an
 * older `.env.local`'s SERVICE_CLIENT_SECRETS line (a service missing from it was left out on
 * purpose, so it is not added back).
 */
export const clientsAddedLater: readonly string[] = ['log-shipper', 'prometheus', 'alertmanager'];

/**
 * The OAuth clients `lift up` generates secrets for (SERVICE_CLIENT_SECRETS): each service, the
 * supervisor itself shipping the services' log lines to observability, and the monitoring engines
 * (Prometheus reading the registry's service discovery, Alertmanager notifying observability).
 */
export const serviceClientNames: readonly string[] = ['gateway', 'auth', 'billing', 'memory', 'observability', 'registry', ...clientsAddedLater];

export class UnknownServiceError extends Error {}

/** The services named on the command line (all six when none is named), in catalog order. */
export function selectServices(names: readonly string[]): CatalogEntry[] {
  const unknown = names.filter((name) => !coreServices.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    throw new UnknownServiceError(`unknown service ${unknown.join(', ')}; choose from ${coreServices.map((entry) => entry.name).join(', ')}`);
  }
  return names.length === 0 ? [...coreServices] : coreServices.filter((entry) => names.includes(entry.name));
}
