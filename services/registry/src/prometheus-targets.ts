import type { ModuleManifestInput } from './manifest.js';
import type { RegistryDomain } from './registry-domain.js';

/**
 * Every enabled module as Prometheus HTTP service discovery targets
 * (https://prometheus.io/docs/prometheus/latest/http_sd/): its own format, so its own field names.
 * Every instance (baseUrl and its replicas) is scraped; a group per scheme, since the scheme is a
 * label of the group.
 */
export async function prometheusTargets(domain: Pick<RegistryDomain, 'store'>) {
  const rows = await domain.store.enabledManifests();
  return rows.flatMap((row) => {
    const manifest = JSON.parse(row.manifest) as ModuleManifestInput;
    const base = new URL(manifest.baseUrl);
    const hostsByScheme = new Map<string, string[]>();
    for (const url of [base, ...(manifest.replicaBaseUrls ?? []).map((replica) => new URL(replica))]) {
      const scheme = url.protocol.replace(':', '');
      hostsByScheme.set(scheme, [...(hostsByScheme.get(scheme) ?? []), url.host]);
    }
    return [...hostsByScheme].map(([scheme, hosts]) => ({
      targets: hosts,
      labels: {
        job: `lift-module-${manifest.moduleId}`,
        module: manifest.moduleId,
        version: manifest.version,
        __scheme__: scheme,
        __metrics_path__: `${base.pathname.replace(/\/$/, '')}/metrics`,
      },
    }));
  });
}
