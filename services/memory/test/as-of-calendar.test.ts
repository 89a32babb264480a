import { describe, expect, it } from 'vitest';
import { buildMemory, member } from './helper.js';

// Review of issue #14: Date.parse rolls 2026-02-31 over to 3 March, so an impossible date passed.
describe('asOf', () => {
  it('refuses dates that do not exist, and takes a leap day that does', async () => {
    const { app } = await buildMemory();
    const headers = await member();
    const list = (asOf: string) => app.inject({ method: 'GET', url: `/v1/memories?asOf=${encodeURIComponent(asOf)}`, headers });
    for (const asOf of ['2025-02-31T00:00:00Z', '2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-04-31T10:00:00+02:00']) {
      const refused = await list(asOf);
      expect(refused.statusCode, asOf).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'MEMORY_AS_OF_INVALID' });
    }
    expect((await list('2024-02-29T12:00:00Z')).statusCode).toBe(200);
  });
});
