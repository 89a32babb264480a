import { fileURLToPath } from 'node:url';
import { buildServices } from '../../cli/src/build-services.js';

/** Cross-service suites run the same bundles that `lift up` runs; build them once per test run. */
export default async function buildOnce(): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  await buildServices(root, ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability']);
}
