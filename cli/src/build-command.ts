import { buildServices } from './build-services.js';
import { selectServices } from './service-catalog.js';

/** `lift build [service…]`: the bundles `lift up` and the container images run. */
export async function buildCommand(root: string, services: readonly string[]): Promise<number> {
  const selected = selectServices(services).map((entry) => entry.name);
  const { outdir, rebuilt } = await buildServices(root, selected);
  process.stdout.write(rebuilt ? `lift: built ${selected.join(', ')} into ${outdir}\n` : `lift: ${outdir} is up to date\n`);
  return 0;
}
