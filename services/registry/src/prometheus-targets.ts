import type { ModuleManifestInput } from './manifest.js';
import type { RegistryDomain } from './registry-domain.js';

/**
 * Every enabled module as a Prometheus HTTP service discovery target
 * (https://prometheus.io/docs/prometheus/latest/http_sd/): its own format, so its own field names.
 */
export async function prometheusTargets(domain: Pick<RegistryDomain, 'store'>) {
  const rows = await domain.store.enabledManifests();
  return rows.map((row) => {
    const manifest = JSON.parse(row.manifest) as ModuleManifestInput;
    const url = new URL(manifest.baseUrl);
    return {
      targets: [url.host],
      labels: {
        job: `lift-module-${manifest.moduleId}`,
        module: manifest.moduleId,
        version: manifest.version,
        __scheme__: url.protocol.replace(':', ''),
        __metrics_path__: `${url.pathname.replace(/\/$/, '')}/metrics`,
      },
    };
  });
}
