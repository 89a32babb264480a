import type { Entitlements } from '@lift/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import { entitlementsOf } from '../src/entitlements.js';

// Checked by the type-check (`tsc`): billing answers with the SDK's wire type, so the gateway's
// quota guard and billing cannot drift apart.
describe('entitlementsOf answers with the SDK\'s wire type', () => {
  it('returns Entitlements', () => {
    expectTypeOf(entitlementsOf).returns.toEqualTypeOf<Promise<Entitlements>>();
  });
});
