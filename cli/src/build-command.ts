import { buildConsole } from './build-console.js';
import { buildServices } from './build-services.js';
import { selectServices } from './service-catalog.js';

/** `lift build [service…]`: the bundles `lift up` and the container images run, and the console the gateway serves. */
export async function buildCommand(root: string, services: readonly string[]): Promise<number> {
  const selected = selectServices(services).map((entry) => entry.name);
  const { outdir, rebuilt } = await buildServices(root, selected);
  process.stdout.write(rebuilt ? `lift: built ${selected.join(', ')} into ${outdir}\n` : `lift: ${outdir} is up to date\n`);
  // The console goes with the gateway, which serves it.
  if (selected.includes('gateway')) {
    const console = await buildConsole(root);
    process.stdout.write(console.rebuilt ? `lift: built the console into ${console.outdir}\n` : `lift: ${console.outdir} is up to date\n`);
  }
  return 0;
}
