import type { RouteTable } from '@lift/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import { routeTable } from '../src/route-table.js';

// Checked by the type-check (`tsc`): the registry answers with the SDK's wire type, so the
// gateway's and auth's readers of the route table cannot drift from it.
describe('routeTable answers with the SDK\'s wire type', () => {
  it('returns RouteTable', () => {
    expectTypeOf(routeTable).returns.toEqualTypeOf<Promise<RouteTable>>();
  });
});
