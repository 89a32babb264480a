import { describe, expect, it } from 'vitest';
import { buildAuth } from './helper.js';

// The gateway opens exactly the routes a service's document declares with `security: []`.
describe('account life-cycle routes in auth\'s OpenAPI document', () => {
  it('declares the link and reset routes public and the resend signed-in', async () => {
    const { app } = await buildAuth();
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { post?: { security?: unknown } }> };
    for (const path of ['/v1/register', '/v1/email-verification/confirm', '/v1/password-reset', '/v1/password-reset/confirm']) {
      expect(document.paths[path]?.post?.security, path).toEqual([]);
    }
    expect(document.paths['/v1/email-verification']?.post?.security).toEqual([{ bearerAuth: [] }]);
  });
});
