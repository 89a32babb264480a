import { coreServices, type CatalogEntry } from './service-catalog.js';

/**
 * Where `lift up` runs each process of a service. Instance 1 keeps the service's port (the
 * seed's, or LIFT_PORT_BASE + the seed's offset); instance k listens `instancePortStep` × (k − 1)
 * above it: auth 8001, 8101, 8201 … 8801. Nine instances at most keep every port below 8806,
 * clear of the gateway's TLS port (8443), the example module (9100) and the monitoring tools
 * (3000, 9090, 9093, 9094).
 */
export interface ServiceInstance {
  /** `auth` for the first instance (as without --instances), `auth#2` for the second … */
  readonly name: string;
  readonly service: string;
  /** 1-based. */
  readonly index: number;
  readonly port: number;
  readonly url: string;
}

export const seedPortBase = 8000;
export const instancePortStep = 100;
export const maxInstances = 9;
/** The highest port a layout uses above its base: registry's ninth instance. */
const highestOffset = Math.max(...coreServices.map((entry) => entry.port - seedPortBase)) + instancePortStep * (maxInstances - 1);

export class InstanceSettingError extends Error {}

/**
 * `--instances auth=2,memory=2`: how many processes of each named service (the others run one).
 * The gateway stays one process: nothing in front of it would balance across several.
 */
export function parseInstances(spec: string | undefined): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  if (spec === undefined || spec.trim() === '') return counts;
  for (const part of spec.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new InstanceSettingError(`--instances takes service=count pairs separated by commas (auth=2,memory=2); "${part}" is not one`);
    const [, name, countText] = match as unknown as [string, string, string];
    const count = Number(countText);
    if (!coreServices.some((entry) => entry.name === name)) throw new InstanceSettingError(`--instances: unknown service "${name}"; choose from ${coreServices.map((entry) => entry.name).join(', ')}`);
    if (counts.has(name)) throw new InstanceSettingError(`--instances names ${name} twice`);
    if (count < 1 || count > maxInstances) throw new InstanceSettingError(`--instances ${name}=${count}: from 1 to ${maxInstances} instances`);
    if (name === 'gateway' && count > 1) throw new InstanceSettingError('--instances: the gateway runs as one instance (nothing in front of it would balance across several)');
    counts.set(name, count);
  }
  return counts;
}

/** LIFT_PORT_BASE (environment or .env.local): the gateway's port, the others at the seed's offsets from it. */
export function parsePortBase(value: string | undefined): number {
  if (value === undefined || value === '') return seedPortBase;
  const base = Number(value);
  if (!Number.isInteger(base) || base < 1024 || base + highestOffset > 65_535) {
    throw new InstanceSettingError(`LIFT_PORT_BASE must be a whole number from 1024 to ${65_535 - highestOffset} (the gateway's port; the others follow it), not "${value}"`);
  }
  return base;
}

export function servicePort(entry: CatalogEntry, portBase: number, index = 1): number {
  return portBase + (entry.port - seedPortBase) + instancePortStep * (index - 1);
}

export function localUrl(port: number): string {
  return `http://localhost:${port}`;
}

/** Every process of the selected services, in catalog order, each service's instances together. */
export function instanceLayout(selected: readonly CatalogEntry[], counts: ReadonlyMap<string, number>, portBase: number): ServiceInstance[] {
  return selected.flatMap((entry) =>
    Array.from({ length: counts.get(entry.name) ?? 1 }, (_, offset) => {
      const index = offset + 1;
      const port = servicePort(entry, portBase, index);
      return { name: index === 1 ? entry.name : `${entry.name}#${index}`, service: entry.name, index, port, url: localUrl(port) };
    }),
  );
}

/** The service a process name belongs to: `auth#2` → `auth`. */
export function serviceOfProcess(name: string): string {
  return name.split('#')[0] as string;
}

/** The `--instances` text that gives this layout back (for a detached `lift up` re-run). */
export function instancesSpec(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([name, count]) => `${name}=${count}`).join(',');
}

export function instancesOf(layout: readonly ServiceInstance[], service: string): ServiceInstance[] {
  return layout.filter((instance) => instance.service === service);
}
