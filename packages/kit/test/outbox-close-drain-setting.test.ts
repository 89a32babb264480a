import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { baseConfigProperties, loadConfig, outboxCloseDrainMs } from '../src/index.js';

const schema = Type.Object({ ...baseConfigProperties(8001) });
const load = (env: Record<string, string>) => loadConfig(schema, { env });

// Review of issue #19: the drain was said to have to fit in the shutdown budget, but nothing
// checked it; one that cannot fit turns every shutdown with the consumer down into the forced exit 1.
describe('EVENT_OUTBOX_CLOSE_DRAIN_MS', () => {
  it('takes 5 s when unset, or half of what the shutdown leaves after the delay when that is less', async () => {
    expect(outboxCloseDrainMs(await load({}))).toBe(5_000);
    expect(outboxCloseDrainMs(await load({ SHUTDOWN_DELAY_MS: '2000' }))).toBe(4_000);
    expect(outboxCloseDrainMs(await load({ SHUTDOWN_TIMEOUT_MS: '300' }))).toBe(150);
    expect(outboxCloseDrainMs(await load({ SHUTDOWN_DELAY_MS: '3000', SHUTDOWN_TIMEOUT_MS: '20000' }))).toBe(5_000);
  });

  it('is used as set when it fits, 0 included', async () => {
    expect(outboxCloseDrainMs(await load({ EVENT_OUTBOX_CLOSE_DRAIN_MS: '0' }))).toBe(0);
    expect(outboxCloseDrainMs(await load({ EVENT_OUTBOX_CLOSE_DRAIN_MS: '9000' }))).toBe(9_000);
  });

  it('refuses a negative value, and one that does not fit in SHUTDOWN_TIMEOUT_MS after SHUTDOWN_DELAY_MS, naming it', async () => {
    await expect(load({ EVENT_OUTBOX_CLOSE_DRAIN_MS: '-1' })).rejects.toThrow(/EVENT_OUTBOX_CLOSE_DRAIN_MS/);
    await expect(load({ EVENT_OUTBOX_CLOSE_DRAIN_MS: '60000', SHUTDOWN_TIMEOUT_MS: '10000' })).rejects.toThrow(/EVENT_OUTBOX_CLOSE_DRAIN_MS: with SHUTDOWN_DELAY_MS \(0\)/);
    await expect(load({ EVENT_OUTBOX_CLOSE_DRAIN_MS: '5000', SHUTDOWN_DELAY_MS: '6000', SHUTDOWN_TIMEOUT_MS: '10000' })).rejects.toThrow(/EVENT_OUTBOX_CLOSE_DRAIN_MS/);
  });
});
