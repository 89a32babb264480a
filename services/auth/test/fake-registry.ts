import type { RouteTable, RouteTableModule } from '@lift/sdk';
import { routeTableEntry } from '../../../tests/support/route-table-entry.js';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';

/** What a test says of a module; the rest of its route-table entry is filled in as the registry would. */
export type FakeModuleEntry = Pick<RouteTableModule, 'moduleId' | 'roles'> & Partial<RouteTableModule>;

/**
 * A stand-in registry answering the route table auth reads role grants and memory requirements
 * from. Typed by the SDK's `RouteTable`, so it cannot drift from what the real registry answers.
 */
export async function startFakeRegistry(modules: readonly FakeModuleEntry[]) {
  let answering = true;
  const table: RouteTable = { revision: 1, modules: modules.map(routeTableEntry) };
  const registry = await startStandIn((_request, response) => (answering ? sendJson(response, 200, table) : void response.writeHead(503).end()));
  return {
    url: registry.url,
    get seen() {
      return registry.received.map((request) => String(request.headers.authorization));
    },
    stop: () => void (answering = false),
  };
}
