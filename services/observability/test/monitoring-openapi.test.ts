import { describe, expect, it } from 'vitest';
import { openApiLintFindings } from '../../../tests/support/openapi-lint.js';
import { buildMonitoring } from './helper.js';

describe('the monitoring API in the service\'s document', () => {
  it('passes Redocly\'s recommended rules, declares the status page public and names every operation', async () => {
    const { app } = await buildMonitoring();
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>> };
    expect(await openApiLintFindings(document, 'observability')).toEqual([]);
    expect(document.paths['/v1/status']?.get?.security).toEqual([]);
    for (const path of ['/v1/health/services', '/v1/overview', '/v1/alert-rules', '/v1/alerts', '/v1/alerts/{id}/acknowledge']) {
      for (const operation of Object.values(document.paths[path] ?? {})) expect(operation.security, path).toEqual([{ bearerAuth: [] }]);
    }
  });
});
