import { isReservedNamespace } from '@lift/kit';
import type { RegistryDomain } from './registry-domain.js';

/**
 * Modules stored under an id the platform reserves, registered before ids were checked. They stay
 * in the catalogue (an admin sees them and can deregister them) but never reach the route table,
 * so the gateway does not route them and auth grants none of their permissions. Named at every
 * start until they are gone.
 */
export async function warnAboutReservedModules(domain: Pick<RegistryDomain, 'store' | 'log'>): Promise<void> {
  const reserved = (await domain.store.moduleIds()).filter((moduleId) => isReservedNamespace(moduleId));
  if (reserved.length === 0) return;
  domain.log.warn(
    { modules: reserved },
    `modules registered under reserved ids are not routed and grant no permissions: ${reserved.join(', ')}; deregister them (DELETE /v1/modules/<id>) and register them under another id`,
  );
}
