import { isReservedNamespace } from '@lift/kit';
import type { RouteTable } from '@lift/sdk';
import { effectiveRoles, effectiveRoutes, type ModuleManifestInput } from './manifest.js';
import type { RegistryDomain } from './registry-domain.js';
import { changesChannel } from './revision.js';

async function table(domain: RegistryDomain): Promise<RouteTable> {
  // Read the revision first: a change landing meanwhile makes the caller ask again, never miss it.
  const revision = await domain.store.currentRevision();
  const rows = await domain.store.routing();
  return {
    revision,
    // A module stored under a reserved id (from before ids were checked) is never routed, and
    // auth, which reads its grants from here, never sees its permissions.
    modules: rows.filter((row) => !isReservedNamespace(row.module_id)).map((row) => {
      const manifest = JSON.parse(row.manifest) as ModuleManifestInput;
      return {
        moduleId: manifest.moduleId,
        baseUrl: manifest.baseUrl,
        replicaBaseUrls: manifest.replicaBaseUrls ?? [],
        apiPrefix: manifest.apiPrefix,
        enabled: row.enabled === 1,
        status: row.status,
        routes: effectiveRoutes(manifest),
        roles: effectiveRoles(manifest),
        // Auth reads it: what a token the module exchanges for the platform's audience may carry.
        memoryRequirements: manifest.memoryRequirements ?? null,
      };
    }),
  };
}

/**
 * The gateway's view of the modules. A long poll: with `after` = the revision the caller holds,
 * the answer comes as soon as there is a newer one (any registry replica's change wakes it
 * through the shared state), or after `waitMs` with the same revision. The SDK's wire type, which
 * the gateway and auth read it as, so the answer cannot drift from what they expect.
 */
export async function routeTable(domain: RegistryDomain, after: number, waitMs: number, aborted: AbortSignal): Promise<RouteTable> {
  if ((await domain.store.currentRevision()) > after || waitMs === 0) return table(domain);
  await new Promise<void>((resolve) => {
    // Aborted before the wait began (the service started closing while the revision was read):
    // an abort event that already fired would never reach the listener below.
    if (aborted.aborted) return resolve();
    let unsubscribe: (() => Promise<void>) | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      aborted.removeEventListener('abort', finish);
      void unsubscribe?.();
      resolve();
    };
    const timer = setTimeout(finish, waitMs);
    aborted.addEventListener('abort', finish);
    void domain.state
      .subscribe(changesChannel, (message) => {
        if (Number(message) > after) finish();
      })
      .then(async (stop) => {
        if (finished) return stop();
        unsubscribe = stop;
        // A change between the first look and the subscription would otherwise be missed.
        if ((await domain.store.currentRevision()) > after) finish();
      });
  });
  return table(domain);
}
