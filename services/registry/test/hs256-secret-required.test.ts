import { describe, expect, it } from 'vitest';
import { ConfigError } from '@lift/kit';
import { buildRegistry } from './helper.js';

// Issue #10 item 4: HS256 without JWT_SECRET used to verify with an empty key.
describe('the registry with JWT_ALGORITHM=HS256', () => {
  it('refuses to start without JWT_SECRET, naming it', async () => {
    const error = await buildRegistry({ env: { JWT_SECRET: '' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes when JWT_ALGORITHM=HS256 \(it is not set\)/)]);
  });

  it('refuses a secret shorter than 32 bytes', async () => {
    const error = await buildRegistry({ env: { JWT_SECRET: 'dev-secret-key' } }).catch((caught: unknown) => caught);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes when JWT_ALGORITHM=HS256 \(it has 14\)/)]);
  });
});
