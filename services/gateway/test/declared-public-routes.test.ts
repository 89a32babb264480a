import { describe, expect, it } from 'vitest';
import { declaredPublicRoutes, isDeclaredPublic } from '../src/declared-public-routes.js';

describe('routes a service declares public in its OpenAPI document', () => {
  it.each([
    [{ security: [] }, undefined, true],
    [{ security: [{}] }, undefined, true],
    [{ security: [{}, { bearerAuth: [] }] }, undefined, true],
    [{ security: [{ bearerAuth: [] }] }, undefined, false],
    // An operation that says nothing is protected, unless the document's own security says otherwise.
    [{}, undefined, false],
    [{}, [], true],
    [{}, [{ bearerAuth: [] }], false],
    [{ security: [{ bearerAuth: [] }] }, [], false],
    [{ security: 'none' }, undefined, false],
  ])('%j with the document\'s %j → %s', (operation, documentSecurity, expected) => {
    expect(isDeclaredPublic(operation, documentSecurity)).toBe(expected);
  });

  it('matches methods exactly and each template parameter as one non-empty segment', () => {
    const routes = declaredPublicRoutes({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/login': { post: { security: [] }, get: { security: [{ bearerAuth: [] }] } },
        '/v1/items/{id}': { get: { security: [] }, parameters: [] },
        '/v1/a.b/{x}/c': { put: { security: [] } },
      },
    });
    expect(routes.matches('POST', '/v1/login')).toBe(true);
    expect(routes.matches('GET', '/v1/login')).toBe(false);
    expect(routes.matches('POST', '/v1/login/')).toBe(false);
    expect(routes.matches('GET', '/v1/items/7')).toBe(true);
    expect(routes.matches('HEAD', '/v1/items/7')).toBe(true);
    expect(routes.matches('GET', '/v1/items/7/8')).toBe(false);
    expect(routes.matches('GET', '/v1/items/')).toBe(false);
    expect(routes.matches('PUT', '/v1/a.b/x/c')).toBe(true);
    expect(routes.matches('PUT', '/v1/aXb/x/c')).toBe(false);
  });
});
