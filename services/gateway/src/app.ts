import { createService, type ServiceApp, type ServiceDeps } from '@lift/kit';
import type { GatewayConfig } from './config.js';
import { gatewayIdentity } from './identity.js';
import { proxyRoutes } from './proxy-routes.js';
import { coreUpstreams } from './upstreams.js';

export type GatewayDeps = ServiceDeps<GatewayConfig>;

export async function buildApp(deps: GatewayDeps): Promise<ServiceApp> {
  const app = await createService({ identity: gatewayIdentity, config: deps.config, log: deps.log, clock: deps.clock });
  const upstreams = coreUpstreams(deps.config);
  await app.register(proxyRoutes, { upstreams, timeoutMs: deps.config.UPSTREAM_TIMEOUT_MS, bodyLimitBytes: deps.config.BODY_LIMIT_BYTES });
  app.addHook('onClose', async () => {
    await Promise.all(upstreams.map((upstream) => upstream.pool.close()));
  });
  return app;
}
