import { describe, expect, it } from 'vitest';
import type { LiveOpenApiDocument } from '../support/live-openapi-documents.js';
import { contractChanges, contractOf, snapshotText } from '../support/openapi-contract.js';

const served = (paths: LiveOpenApiDocument['paths'], extra: Record<string, unknown> = {}): LiveOpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 'a service', version: '1.0.0' },
  paths,
  components: { schemas: { Problem: { type: 'object' } } },
  ...extra,
});

const listWidgets = { operationId: 'listWidgets', summary: 'Widgets' };

// What the snapshot test reports instead of a whole-document diff: which operations changed.
describe('the contract diff names what changed', () => {
  it('reports operations added, removed and changed (with the fields), and component schemas', () => {
    const committed = contractOf(served({ '/v1/widgets': { get: listWidgets, delete: { operationId: 'eraseWidgets' } } }));
    const live = contractOf(
      served({ '/v1/widgets': { get: { ...listWidgets, summary: 'All widgets' } }, '/v1/gadgets': { post: { operationId: 'createGadget' } } }, { components: { schemas: { Gadget: { type: 'object' } } } }),
    );
    expect(contractChanges(committed, live)).toEqual([
      'added POST /v1/gadgets',
      'removed DELETE /v1/widgets',
      'changed GET /v1/widgets: summary',
      'added components.schemas.Gadget',
      'removed components.schemas.Problem',
    ]);
  });

  it('ignores a version bump and the order of keys, and writes sorted, pretty JSON', () => {
    const committed = contractOf(served({ '/v1/widgets': { get: { summary: 'Widgets', operationId: 'listWidgets' } } }));
    const live = contractOf({ ...served({ '/v1/widgets': { get: listWidgets } }), info: { version: '2.0.0', title: 'a service' } });
    expect(contractChanges(committed, live)).toEqual([]);
    expect(snapshotText(live)).toBe(snapshotText(committed));
    expect(snapshotText(live).split('\n').slice(0, 3)).toEqual(['{', '  "components": {', '    "schemas": {']);
  });

  it('leaves out the gateway\'s view of its upstreams, which changes at run time', () => {
    const gateway = served({}, { 'x-lift-sources': { auth: 'missing' }, info: { title: 'Lift OS Core API', version: '1', description: 'Not included right now: auth.' } });
    expect(contractOf(gateway)).not.toHaveProperty('x-lift-sources');
    expect(contractOf(gateway).info).toEqual({ title: 'Lift OS Core API' });
  });
});
