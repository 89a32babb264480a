import type { RouteTableModule } from '@lift/sdk';

/**
 * One module's entry in the registry's route table, as a stand-in registry answers it: the SDK's
 * wire type, so no fake drifts from the real answer. What a test does not name is what a healthy,
 * enabled module with no grants and no routes would have.
 */
export function routeTableEntry(entry: Pick<RouteTableModule, 'moduleId'> & Partial<RouteTableModule>): RouteTableModule {
  return {
    baseUrl: `http://127.0.0.1:9/${entry.moduleId}`,
    apiPrefix: '/',
    enabled: true,
    status: 'healthy',
    routes: [],
    roles: { owner: [], admin: [], member: [], viewer: [] },
    memoryRequirements: null,
    ...entry,
  };
}
